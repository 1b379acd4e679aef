"""Reading an answer's body within limits: an overall deadline and a size cap.

A server that trickles one byte every two seconds never trips httpx's per-read timeout; the
deadline covers the whole request, headers and body, so it ends with "answer too slow". The
cap keeps an enormous answer from filling memory (a real page of 100 items is ~100 KB).
"""

from __future__ import annotations

import httpx

# The largest answer smsdesk reads; anything bigger is refused as "answer too large".
MAX_ANSWER_BYTES = 16 * 1024 * 1024
# Whole-request deadlines in seconds: a person waits on an interactive one; background reads
# (polls, sync) give up sooner so they never keep a route from a reply for long.
INTERACTIVE_DEADLINE = 30.0
BACKGROUND_DEADLINE = 20.0


class AnswerTooLarge(Exception):
    """The body passed ``MAX_ANSWER_BYTES``; reading stopped there."""


async def read_capped(response: httpx.Response, limit: int = MAX_ANSWER_BYTES) -> bytes:
    """The whole body, or ``AnswerTooLarge`` as soon as it passes ``limit`` bytes."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise AnswerTooLarge(int(declared))
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise AnswerTooLarge(size)
        chunks.append(chunk)
    return b"".join(chunks)
