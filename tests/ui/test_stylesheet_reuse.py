"""The app's stylesheet parses again only when its CSS or its variables changed."""

from __future__ import annotations

from tui.widgets.stylesheet import ReusingStylesheet

CSS = "Static { color: $text; background: $panel; }"


def sheet() -> ReusingStylesheet:
    stylesheet = ReusingStylesheet(variables={"text": "white", "panel": "black"})
    stylesheet.add_source(CSS, read_from=("app.tcss", ""))
    stylesheet.parse()
    return stylesheet


def test_the_same_css_and_variables_are_not_parsed_twice(parsed: list[str]) -> None:
    stylesheet = sheet()
    rules = stylesheet.rules
    stylesheet.set_variables({"text": "white", "panel": "black"})  # what refresh_css does
    stylesheet.reparse()
    assert parsed == [CSS]
    assert stylesheet.rules == rules


def test_new_variables_are_parsed_again(parsed: list[str]) -> None:
    stylesheet = sheet()
    stylesheet.set_variables({"text": "black", "panel": "white"})  # a theme change
    stylesheet.reparse()
    assert parsed == [CSS, CSS]


def test_a_new_sheet_is_parsed_alone(parsed: list[str]) -> None:
    stylesheet = sheet()
    stylesheet.set_variables({"text": "white", "panel": "black"})  # what refresh_css does
    stylesheet.add_source("Label { color: red; }", read_from=("contacts.tcss", ""))
    stylesheet.reparse()
    assert parsed == [CSS, "Label { color: red; }"]  # the first sheet's rules are kept
    assert len(stylesheet.rules) == 2


def test_new_variables_with_a_new_sheet_parse_everything(parsed: list[str]) -> None:
    stylesheet = sheet()
    stylesheet.set_variables({"text": "black", "panel": "white"})
    stylesheet.add_source("Label { color: $text; }", read_from=("contacts.tcss", ""))
    stylesheet.reparse()
    assert parsed == [CSS, CSS, "Label { color: $text; }"]
    assert len(stylesheet.rules) == 2
