"""Campaign sends: plan (cost, requests, quiet hours, merge gaps) and exactly-once posting."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from campaign_env import add_group, join, mirror, texts_to
from service_env import Env

from tui.api.models import MessageBatchCreate
from tui.services.audience import from_groups, from_numbers, split_numbers
from tui.services.campaign_plan import plan_campaign
from tui.services.campaign_report import SendReport
from tui.services.campaign_send import CampaignSender, SendProgress
from tui.services.outbox import Outbox
from tui.store.campaign_sends import PlannedRequest

CHICAGO = ZoneInfo("America/Chicago")
NOON = datetime(2026, 6, 2, 12, 0, tzinfo=CHICAGO)
LATE = datetime(2026, 6, 2, 23, 0, tzinfo=CHICAGO)
FOOTER = " Reply STOP to opt out."


def _sender(env: Env, progress: list[SendProgress] | None = None) -> CampaignSender:
    outbox = Outbox(env.client, env.store, reconcile_delay=0, retry_delay=0.0)
    return CampaignSender(env.client, env.store, outbox, reconcile_delay=0, retry_delay=0.0,
                          poll_interval=0.05,
                          on_progress=progress.append if progress is not None else None)


async def _run(sender: CampaignSender, send_id: str | None = None) -> SendReport:
    """Run one send (or resume all) with its outbox sending in the background, as the desk does."""
    task = asyncio.create_task(sender.outbox.run())
    try:
        if send_id is None:
            [report] = await sender.resume_all()
            return report
        return await sender.run(send_id)
    finally:
        task.cancel()


async def _send(sender: CampaignSender, name: str, template: str, recipients: int,
                requests: Sequence[PlannedRequest]) -> SendReport:
    send = await sender.start(name=name, template=template, audience="",
                              recipients=recipients, requests=requests)
    return await _run(sender, send.id)


async def _audience(env: Env, count: int = 250, **kw: object):  # type: ignore[no-untyped-def]
    group = add_group(env.sandbox, "Regulars", count, **kw)  # type: ignore[arg-type]
    await mirror(env.client, env.store)
    return await from_groups(env.store, [group], ["Regulars"])


async def test_a_group_of_250_without_merge_fields_costs_its_segments_and_needs_3_requests(
    env: Env,
) -> None:
    audience = await _audience(env)
    plan = plan_campaign("Summer sale: 20% off today." + FOOTER, audience, at=NOON,
                         price_per_segment=0.01)
    assert audience.count == 250 and plan.blocked is None
    assert plan.total_segments == 250 and plan.cost == 2.5 and plan.has_opt_out
    assert [len(r.phones) for r in plan.requests()] == [100, 100, 50]


async def test_a_contact_in_two_groups_is_counted_once_in_the_audience_and_the_cost(
    env: Env,
) -> None:
    regulars = add_group(env.sandbox, "Regulars", 10)
    vip = add_group(env.sandbox, "VIP", 4, start=10)
    join(env.sandbox, vip, [f"+1312224{i:04d}" for i in range(6)])  # 6 regulars are VIPs too
    await mirror(env.client, env.store)
    audience = await from_groups(env.store, [regulars, vip], ["Regulars", "VIP"])
    plan = plan_campaign("Doors at 9." + FOOTER, audience, at=NOON, price_per_segment=0.01)
    assert audience.count == 14 and audience.duplicates == 0
    assert plan.total_segments == 14 and round(plan.cost, 2) == 0.14
    assert await env.store.count_group_audience([regulars, vip]) == 14


async def test_a_merge_field_groups_recipients_by_their_rendered_text(env: Env) -> None:
    audience = await _audience(env)
    plan = plan_campaign("Hi {first_name}, 20% off today.", audience, at=NOON)
    requests = plan.requests()
    assert len(requests) == 5  # five first names, 50 people each
    assert {r.message for r in requests} == {f"Hi {n}, 20% off today." for n in
                                             ("Ana", "Ben", "Cleo", "Dev", "Eli")}
    assert not plan.has_opt_out


async def test_a_missing_merge_field_blocks_the_send_and_lists_who_lacks_it(env: Env) -> None:
    audience = await _audience(env, 3, named=False)
    plan = plan_campaign("Hi {first_name}!", audience, at=NOON)
    assert plan.blocked is not None and "{first_name}" in plan.blocked
    assert [u.recipient.phone for u in plan.unresolved] == [r.phone for r in audience.recipients]
    with_fallback = plan_campaign("Hi {first_name|there}!", audience, at=NOON)
    assert with_fallback.blocked is None


async def test_a_recipient_at_23_00_is_held_until_8_00_their_time(env: Env) -> None:
    chicago = add_group(env.sandbox, "Chicago", 2, area="312224")
    la = add_group(env.sandbox, "LA", 2, area="650253")
    await mirror(env.client, env.store)
    audience = await from_groups(env.store, [chicago, la])
    at = LATE - timedelta(minutes=30)  # 22:30 in Chicago, 20:30 in California
    plan = plan_campaign("Hi!", audience, at=at)
    assert {h.recipient.phone[:8] for h in plan.held} == {"+1312224"}
    assert {h.until for h in plan.held} == {datetime(2026, 6, 3, 8, 0, tzinfo=CHICAGO)}
    kinds = [(r.kind, len(r.phones)) for r in plan.requests("send_rest")]
    assert kinds == [("batch", 2), ("schedule", 1), ("schedule", 1)]
    assert [r.kind for r in plan.requests("hold")] == ["batch"]
    assert {r.kind for r in plan.requests("schedule_all")} == {"schedule"}
    # Counted once where the plan is made (a thread), not each time the cost is drawn.
    assert {c: plan.request_count(c) for c in ("send_rest", "hold", "schedule_all", "ignore")} \
        == {"send_rest": 3, "hold": 1, "schedule_all": 4, "ignore": 1}
    assert plan.request_counts["send_rest"] == 3


async def test_pasted_numbers_are_normalised_and_bad_duplicate_or_stopped_ones_left_out(
    env: Env,
) -> None:
    stopped = env.subscribed_phone(0)
    await mirror(env.client, env.store)
    await env.store.set_opted_out(stopped, True)
    text = f"(650) 253-0000\n+1 650 253 0000\nnot a number\n12\n{stopped}\nname,(212) 555-0100"
    audience = await from_numbers(env.store, split_numbers(text))
    assert [r.phone for r in audience.recipients] == ["+16502530000", "+12125550100"]
    assert audience.duplicates == 1 and audience.unsubscribed == 1
    assert [i.text for i in audience.invalid] == ["not a number", "12"]
    assert all(i.reason for i in audience.invalid)


async def test_a_send_of_250_posts_3_batches_and_texts_everyone_once(env: Env) -> None:
    audience = await _audience(env)
    plan = plan_campaign("Summer sale." + FOOTER, audience, at=NOON)
    progress: list[SendProgress] = []
    sender = _sender(env, progress)
    send = await sender.start(name="Summer", template=plan.template, audience="Regulars",
                              recipients=audience.count, requests=plan.requests())
    report = await _run(sender, send.id)
    assert env.transport.count("POST", "/v1/message/batch") == 3
    assert report.sent == 250 and report.requests == 3 and report.ok
    assert all(texts_to(env.sandbox, r.phone) == [plan.template] for r in audience.recipients)
    assert progress[-1].finished and progress[-1].done == 3 and progress[-1].sent == 250
    stored = await sender.report(send.id)
    assert stored is not None and stored.sent == 250  # the report is kept


async def test_a_batch_whose_answer_is_lost_is_looked_up_not_sent_again(env: Env) -> None:
    audience = await _audience(env, 150)
    plan = plan_campaign("Flash sale.", audience, at=NOON)
    env.transport.lose[("POST", "/v1/message/batch")] = 1
    env.transport.fail_after_apply[("GET", "/v1/messages")] = 0
    sender = _sender(env)
    send = await sender.start(name="Flash", template=plan.template, audience="",
                              recipients=150, requests=plan.requests())
    report = await _run(sender, send.id)
    assert report.sent == 150
    assert env.transport.count("POST", "/v1/message/batch") == 2  # lost one is not re-posted
    assert env.transport.count("GET", "/v1/messages") >= 1
    assert all(len(texts_to(env.sandbox, r.phone)) == 1 for r in audience.recipients)


async def test_a_batch_answered_503_after_being_applied_is_sent_once(env: Env) -> None:
    audience = await _audience(env, 20)
    plan = plan_campaign("Doors open at 9.", audience, at=NOON)
    env.transport.fail_after_apply[("POST", "/v1/message/batch")] = 1
    sender = _sender(env)
    send = await sender.start(name="Doors", template=plan.template, audience="",
                              recipients=20, requests=plan.requests())
    report = await _run(sender, send.id)
    assert report.sent == 20 and env.transport.count("POST", "/v1/message/batch") == 1
    assert all(len(texts_to(env.sandbox, r.phone)) == 1 for r in audience.recipients)


async def test_a_number_unsubscribed_on_the_server_is_refused_and_the_rest_still_go(
    env: Env,
) -> None:
    audience = await _audience(env, 10)
    gone = audience.recipients[3].phone
    contact = env.sandbox.state.contact_by_phone(gone)
    assert contact is not None
    env.sandbox.state.unsubscribe(contact)
    plan = plan_campaign("Last call.", audience, at=NOON)
    sender = _sender(env)
    send = await sender.start(name="Last", template=plan.template, audience="",
                              recipients=10, requests=plan.requests())
    report = await _run(sender, send.id)
    assert report.sent == 9
    assert [p for p, _ in report.refused] == [gone] and "unsubscribed" in report.refused[0][1]
    assert texts_to(env.sandbox, gone) == []


async def test_a_cancelled_send_stops_between_requests_and_reports_who_was_not_texted(
    env: Env,
) -> None:
    audience = await _audience(env, 250)
    plan = plan_campaign("Weekend hours.", audience, at=NOON)
    sender = _sender(env)
    send = await sender.start(name="Hours", template=plan.template, audience="",
                              recipients=250, requests=plan.requests())

    def stop_after_first(progress: SendProgress) -> None:
        if progress.done == 1:
            sender.cancel(send.id)

    sender.on_progress = stop_after_first
    report = await _run(sender, send.id)
    assert report.state == "cancelled" and report.sent == 100 and len(report.not_sent) == 150
    assert env.transport.count("POST", "/v1/message/batch") == 1


async def test_a_send_that_died_after_posting_resumes_without_texting_anyone_twice(
    env: Env,
) -> None:
    audience = await _audience(env, 120)
    plan = plan_campaign("Resume me.", audience, at=NOON)
    first = _sender(env)
    send = await first.start(name="Crash", template=plan.template, audience="",
                             recipients=120, requests=plan.requests())
    # The app died right after the first POST left: the rows say "sending", the server has it.
    request = (await env.store.campaign_requests(send.id))[0]
    await env.store.update_campaign_request(request.key, state="sending", attempts=1)
    await first.outbox.enqueue_batch(request.message, request.phones, campaign_ref=send.id,
                                     key=request.key)
    await env.store.update_outbox(request.key, state="sending", attempts=1,
                                  posted_at=datetime.now(UTC))
    await env.client.send_batch(MessageBatchCreate(
        message=request.message, phone_numbers=list(request.phones),
        metadata={"smsdesk_key": request.key}))
    again = _sender(env)
    assert [s.id for s in await again.unfinished()] == [send.id]
    report = await _run(again)
    assert report.sent == 120 and report.state == "done" and report.ok
    assert all(len(texts_to(env.sandbox, r.phone)) == 1 for r in audience.recipients)
    assert env.transport.count("POST", "/v1/message/batch") == 2  # ours + the next one
    assert await again.unfinished() == []


async def test_held_recipients_are_scheduled_for_their_next_allowed_time(env: Env) -> None:
    chicago = add_group(env.sandbox, "Chicago", 2, area="312224")
    la = add_group(env.sandbox, "LA", 3, area="650253")
    await mirror(env.client, env.store)
    audience = await from_groups(env.store, [chicago, la])
    at = datetime.now(UTC)
    at = at.astimezone(CHICAGO).replace(hour=22, minute=30) + timedelta(days=1)
    plan = plan_campaign("Tomorrow only.", audience, at=at)
    sender = _sender(env)
    send = await sender.start(name="Tomorrow", template=plan.template, audience="",
                              recipients=5, requests=plan.requests("send_rest"))
    report = await _run(sender, send.id)
    assert report.sent == 3 and len(report.scheduled) == 2
    pending = [s for s in env.sandbox.state.scheduled.values()
               if s.message == "Tomorrow only."]
    assert sorted(s.phone_number[:8] for s in pending) == ["+1312224"] * 2
    assert {s.send_at.astimezone(CHICAGO).hour for s in pending} == {8}


async def test_a_template_is_created_then_updated_through_the_service(env: Env) -> None:
    from tui.config import Profile
    from tui.services.campaigns import Campaigns

    campaigns = Campaigns(env.client, env.store, Profile(), Outbox(env.client, env.store))
    made = await campaigns.save_template(None, name="Weekend", message="Hi" + FOOTER)
    again = await campaigns.save_template(made.id, name="Weekend", message="Hi again" + FOOTER)
    assert again.id == made.id
    assert [t.message for t in await campaigns.templates() if t.id == made.id] == \
        ["Hi again" + FOOTER]
