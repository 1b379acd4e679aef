"""The wheel carries the styles, and the installed package finds them."""

from __future__ import annotations

import pathlib
import subprocess
import sys
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_wheel_contains_the_tcss_files(tmp_path: pathlib.Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path)],
        cwd=ROOT, check=True, capture_output=True, text=True, timeout=300,
    )
    wheel = next(tmp_path.glob("smsdesk-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    expected = {f"tui/styles/{p.name}" for p in (ROOT / "styles").glob("*.tcss")}
    assert expected and expected <= set(names)

    # Installed from the wheel (unpacked, as pip would lay it out), the app finds them.
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = "from tui.resources import styles_dir; print(styles_dir())"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
        env={"PYTHONPATH": str(site)}, check=True,
    ).stdout.strip()
    assert out == str(site / "tui" / "styles")


def test_checkout_finds_its_styles() -> None:
    from tui.resources import style_paths

    paths = style_paths()
    assert paths[0].name == "app.tcss" and all(p.is_file() for p in paths)
