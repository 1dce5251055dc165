"""The zipper map view: who sits where, link colours, gap marks, banner and coverage, clicks and
drags, zoom, PNG export and the empty state."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication

from kamdesk.domain.enums import AccountClass
from kamdesk.domain.models import AccountQuery
from kamdesk.domain.org_map import MapContact, MapLink, MapMember, OrgMapData, analyse_map
from kamdesk.domain.settings import TeamSettings
from kamdesk.i18n import set_language
from kamdesk.services.demo import load_demo
from kamdesk.services.workspace import open_workspace
from kamdesk.ui.widgets.zipper_map import (
    BELOW_COLOUR,
    GAP_COLOUR,
    GOOD_COLOUR,
    NO_TARGET_COLOUR,
    PersonCard,
    TextBlock,
    ZipperMapView,
)

LONG_NAME = "欧阳诸葛司马上官东方长孙慕容令狐皇甫尉迟公孙宇文"  # 24 characters


def _known_map() -> OrgMapData:
    """Class A. Targets: owner best friend, manager good brother, staff ordinary brother, clerk good friend."""
    theirs = (
        MapContact(1, "王总", "总经理", "owner", "decision_maker", None, "good_friend"),
        MapContact(2, "李经理", "采购部经理", "manager", "user", 1, "ordinary_friend"),
        MapContact(3, "张工", "工艺工程师", "staff", "advisor", 2, "best_friend"),
        MapContact(4, "赵文员", "采购助理", "clerk", "gatekeeper", 2, "good_friend"),
        MapContact(5, "钱副总", "副总经理", "owner", "decision_maker", 1, "stranger"),  # key, no counterpart
        MapContact(6, "孙顾问", "外部顾问", None, "outsider", None, "acquainted"),  # no rank: no target
        MapContact(7, LONG_NAME, "技术部高级工程师兼质量体系负责人", "staff", None, 2, "acquainted"),
    )
    ours = (
        MapMember(10, "刘洋", "大客户经理", "manager", "account_manager"),
        MapMember(11, "陈总", "销售总监", "owner", "executive_sponsor"),
    )
    links = (
        MapLink(11, 1, "best_friend"),
        MapLink(10, 2, "ordinary_friend"),
        MapLink(10, 3, "best_friend"),
        MapLink(10, 4, "good_friend"),
        MapLink(10, 6, "ordinary_friend"),
    )
    return OrgMapData(1, "苏州恒源精密机械有限公司", AccountClass.A, theirs, ours, links)


def _one_link_map() -> OrgMapData:
    theirs = (
        MapContact(1, "杨采购", "采购员", "staff", "gatekeeper", None, "acquainted"),
        MapContact(2, "周总", "总经理", "owner", "decision_maker", None, "stranger"),
    )
    ours = (MapMember(10, "刘洋", "大客户经理", "manager", "account_manager"),)
    return OrgMapData(2, "远航自动化", AccountClass.C, theirs, ours, (MapLink(10, 1, "acquainted"),))


@pytest.fixture
def view(qtbot) -> ZipperMapView:
    widget = ZipperMapView()
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    return widget


@pytest.fixture
def shown(qtbot, view: ZipperMapView) -> ZipperMapView:
    data = _known_map()
    view.set_map(data, analyse_map(data, TeamSettings()))
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.fixture
def english_afterwards() -> Iterator[None]:
    yield
    set_language("en")


def _centre(view: ZipperMapView, side: str, person_id: int) -> QPoint:
    card = view.person_item(side, person_id)
    assert card is not None
    return view.mapFromScene(card.sceneBoundingRect().center())


def _empty_spot(view: ZipperMapView) -> QPoint:
    """A point of the viewport with no card under it."""
    for x in range(5, view.viewport().width(), 15):
        for y in range(5, view.viewport().height(), 15):
            if not any(isinstance(item, PersonCard) for item in view.items(QPoint(x, y))):
                return QPoint(x, y)
    raise AssertionError("no empty spot")


def _near(colour: QColor, expected: QColor, tolerance: int = 30) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour.getRgb()[:3], expected.getRgb()[:3], strict=True))


def _texts(view: ZipperMapView) -> list[str]:
    return [item.text for item in view.scene().items() if isinstance(item, TextBlock)]


# What goes where -------------------------------------------------------------------------------


def test_everyone_has_a_card_on_their_side_of_the_zipper(view):
    data = _known_map()
    view.set_map(data, analyse_map(data, TeamSettings()))
    zipper = view.zipper_x()
    for contact in data.theirs:
        card = view.person_item("theirs", contact.id)
        assert card is not None and card.data(0) == ("theirs", contact.id)
        assert card.sceneBoundingRect().right() < zipper
    for member in data.ours:
        card = view.person_item("ours", member.id)
        assert card is not None and card.data(0) == ("ours", member.id)
        assert card.sceneBoundingRect().left() > zipper
    assert len(view.person_items()) == len(data.theirs) + len(data.ours)
    # No two cards overlap.
    rects = [card.mapRectToScene(card.rect()) for card in view.person_items().values()]
    assert not any(a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1 :])


def test_owners_sit_above_managers_above_staff_above_clerks(view):
    data = _known_map()
    view.set_map(data, analyse_map(data, TeamSettings()))

    def top(side: str, person_id: int) -> float:
        card = view.person_item(side, person_id)
        assert card is not None
        return card.sceneBoundingRect().top()

    assert top("theirs", 1) < top("theirs", 2) < top("theirs", 3) < top("theirs", 4) < top("theirs", 6)
    assert top("theirs", 5) < top("theirs", 2)
    assert top("ours", 11) < top("ours", 10)
    # Ours line up with theirs of the same rank.
    assert top("ours", 11) == pytest.approx(top("theirs", 1))
    assert top("ours", 10) == pytest.approx(top("theirs", 2))


def test_their_cards_show_role_and_stage_against_target(view):
    data = _known_map()
    view.set_map(data, analyse_map(data, TeamSettings()))
    boss = view.person_item("theirs", 1)
    assert boss is not None
    assert boss.texts() == ["王总", "总经理", "Decision maker", "Good friend → target Best friend"]
    no_rank = view.person_item("theirs", 6)
    assert no_rank is not None and no_rank.texts()[-1] == "Acquainted, no target"
    ours = view.person_item("ours", 10)
    assert ours is not None and ours.texts() == ["刘洋", "大客户经理", "Account manager"]


def test_long_chinese_names_are_elided_with_the_whole_name_in_the_tooltip(view):
    data = _known_map()
    view.set_map(data, analyse_map(data, TeamSettings()))
    card = view.person_item("theirs", 7)
    assert card is not None
    name, title = card.texts()[:2]
    assert name != LONG_NAME and name.endswith("…") and LONG_NAME.startswith(name[:-1])
    assert title == "技术部高级工程师兼质量体系负责人"  # 16 characters fit beside the English stage line
    assert LONG_NAME in card.toolTip() and "技术部高级工程师兼质量体系负责人" in card.toolTip()
    # Short names stay whole.
    short = view.person_item("theirs", 3)
    assert short is not None and short.texts()[0] == "张工"


def test_link_colours_follow_the_status(view):
    data = _known_map()
    analysis = analyse_map(data, TeamSettings())
    view.set_map(data, analysis)
    assert analysis.link_status == {(11, 1): "at", (10, 2): "below", (10, 3): "above", (10, 4): "at", (10, 6): "none"}
    assert view.link_colour(11, 1) == GOOD_COLOUR
    assert view.link_colour(10, 3) == GOOD_COLOUR
    assert view.link_colour(10, 2) == BELOW_COLOUR
    assert view.link_colour(10, 6) == NO_TARGET_COLOUR
    at, below, none = view.link_item(11, 1), view.link_item(10, 2), view.link_item(10, 6)
    assert at is not None and below is not None and none is not None
    assert at.data(0) == ("link", 11, 1)
    assert at.pen().widthF() > below.pen().widthF() > none.pen().widthF()
    assert below.pen().style() != Qt.PenStyle.SolidLine  # dashed: colour is not the only cue
    assert at.pen().style() == none.pen().style() == Qt.PenStyle.SolidLine
    assert view.link_item(11, 2) is None
    with pytest.raises(KeyError):
        view.link_colour(11, 2)
    # Each link runs from their card to ours.
    path = at.path()
    their_card, our_card = view.person_item("theirs", 1), view.person_item("ours", 11)
    assert their_card is not None and our_card is not None
    assert path.pointAtPercent(0).x() == pytest.approx(their_card.mapRectToScene(their_card.rect()).right())
    assert path.pointAtPercent(1).x() == pytest.approx(our_card.mapRectToScene(our_card.rect()).left())


def test_links_are_drawn_in_their_colours(view):
    data = _known_map()
    view.set_map(data, analyse_map(data, TeamSettings()))
    rect = view.scene().sceneRect()
    image = view.render_image(int(rect.width()), int(rect.height()))

    def colour_on(member_id: int, contact_id: int) -> QColor:
        link = view.link_item(member_id, contact_id)
        assert link is not None
        point = link.path().pointAtPercent(0.5) - rect.topLeft()
        return image.pixelColor(int(point.x()), int(point.y()))

    assert _near(colour_on(11, 1), GOOD_COLOUR)
    assert _near(colour_on(10, 6), NO_TARGET_COLOUR)


def test_gap_markers_for_an_uncovered_decision_maker_and_a_link_below_target(view):
    data = _known_map()
    view.set_map(data, analyse_map(data, TeamSettings()))
    assert sorted(view.gap_markers()) == [("link", 10, 2), ("theirs", 5)]
    uncovered = view.person_item("theirs", 5)
    assert uncovered is not None and uncovered.is_gap()
    assert "no counterpart" in uncovered.toolTip()
    covered = view.person_item("theirs", 1)
    assert covered is not None and not covered.is_gap()
    badges = [item.data(0) for item in view.scene().items() if item.data(0) and item.data(0)[0] == "gap"]
    assert badges == [("gap", 10, 2)]
    # The red badge is really painted at the uncovered person's top-right corner.
    rect = view.scene().sceneRect()
    image = view.render_image(int(rect.width()), int(rect.height()))
    corner = uncovered.mapToScene(uncovered.rect().topRight()) - rect.topLeft()
    radius = 6
    assert any(
        _near(image.pixelColor(int(corner.x()) + dx, int(corner.y()) + dy), GAP_COLOUR)
        for dx in range(-radius, radius + 1)
        for dy in range(-radius, radius + 1)
    )


def test_no_gap_markers_when_everyone_is_paired_at_target(view):
    theirs = (MapContact(1, "王总", "总经理", "owner", "decision_maker"),)
    ours = (MapMember(11, "陈总", "销售总监", "owner"),)
    data = OrgMapData(1, "甲", AccountClass.D, theirs, ours, (MapLink(11, 1, "good_friend"),))
    view.set_map(data, analyse_map(data, TeamSettings()))
    assert view.gap_markers() == []


def test_bow_tie_banner_names_both_people(view):
    data = _one_link_map()
    analysis = analyse_map(data, TeamSettings())
    assert analysis.bow_tie is not None and analysis.bow_tie.side == "both"
    view.set_map(data, analysis)
    assert view.banner_text() == analysis.bow_tie.explanation
    assert "刘洋" in view.banner_text() and "杨采购" in view.banner_text()
    assert view.banner_text() in _texts(view)
    banner = next(
        item for item in view.scene().items() if isinstance(item, TextBlock) and item.text == view.banner_text()
    )
    # At the top, above every card.
    assert all(
        banner.sceneBoundingRect().bottom() < card.sceneBoundingRect().top() for card in view.person_items().values()
    )


def test_no_banner_for_a_real_zipper(view):
    data = _known_map()
    view.set_map(data, analyse_map(data, TeamSettings()))
    assert view.banner_text() == ""


def test_coverage_line(view):
    data = _known_map()
    view.set_map(data, analyse_map(data, TeamSettings()))
    # Key people: owners 1 (at) and 5 (none); manager 2 (below); staff 3 (above); clerk 4 (at).
    expected = (
        "Coverage of key people: 60% · Owner / GM / VP 1/2 · Manager / director 0/1 · "
        "Engineer / supervisor / purchaser 1/1 · Clerk / assistant / staff 1/1"
    )
    assert view.coverage_text() == expected
    assert expected in _texts(view)


def test_coverage_line_without_key_people(view):
    theirs = (MapContact(1, "王总", "总经理", "owner", "outsider"),)
    data = OrgMapData(1, "甲", AccountClass.A, theirs, (), ())
    view.set_map(data, analyse_map(data, TeamSettings()))
    assert "buying role" in view.coverage_text()


def test_rank_bands_are_labelled(view):
    data = _known_map()
    view.set_map(data, analyse_map(data, TeamSettings()))
    texts = _texts(view)
    for label in (
        "Owner / GM / VP",
        "Manager / director",
        "Engineer / supervisor / purchaser",
        "Clerk / assistant / staff",
        "No rank",
    ):
        assert label in texts
    bands = [item.data(0)[1] for item in view.scene().items() if item.data(0) and item.data(0)[0] == "band"]
    assert sorted(bands) == sorted(["owner", "manager", "staff", "clerk", ""])


def test_chinese_labels(view, english_afterwards):
    set_language("zh_CN")
    data = _known_map()
    view.set_map(data, analyse_map(data, TeamSettings()))
    boss = view.person_item("theirs", 1)
    assert boss is not None and boss.texts()[2] == "决策者"
    assert "老板/正副总" in _texts(view)


# Interaction ----------------------------------------------------------------------------------


def test_single_click_selects_double_click_activates(qtbot, shown):
    with qtbot.assertNotEmitted(shown.contact_activated):
        qtbot.mouseClick(shown.viewport(), Qt.MouseButton.LeftButton, pos=_centre(shown, "theirs", 3))
    assert shown.selected_person() == ("theirs", 3)
    with qtbot.waitSignal(shown.contact_activated, timeout=1000) as blocker:
        qtbot.mouseDClick(shown.viewport(), Qt.MouseButton.LeftButton, pos=_centre(shown, "theirs", 2))
    assert blocker.args == [2]
    with qtbot.waitSignal(shown.member_activated, timeout=1000) as blocker:
        qtbot.mouseDClick(shown.viewport(), Qt.MouseButton.LeftButton, pos=_centre(shown, "ours", 11))
    assert blocker.args == [11]


def test_enter_activates_the_selected_person(qtbot, shown):
    shown.select_person("theirs", 4)
    shown.setFocus()
    with qtbot.waitSignal(shown.contact_activated, timeout=1000) as blocker:
        qtbot.keyClick(shown, Qt.Key.Key_Return)
    assert blocker.args == [4]


def test_double_click_on_empty_space_activates_nobody(qtbot, shown):
    with qtbot.assertNotEmitted(shown.contact_activated), qtbot.assertNotEmitted(shown.member_activated):
        qtbot.mouseDClick(shown.viewport(), Qt.MouseButton.LeftButton, pos=_empty_spot(shown))


def _drag(qtbot, view: ZipperMapView, start: QPoint, end: QPoint) -> list[object]:
    """Press, move in steps, release; returns the rubber-band line items seen mid-way."""
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    seen: list[object] = []
    for step in range(1, 6):
        point = start + (end - start) * (step / 5)
        qtbot.mouseMove(viewport, pos=point)
        seen += [item for item in view.scene().items() if item.data(0) == ("drag",)]
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    return seen


def test_dragging_from_ours_onto_theirs_asks_for_a_link(qtbot, shown):
    with qtbot.waitSignal(shown.link_requested, timeout=1000) as blocker:
        seen = _drag(qtbot, shown, _centre(shown, "ours", 10), _centre(shown, "theirs", 5))
    assert blocker.args == [10, 5]
    assert seen, "a rubber-band line shows while dragging"
    assert not [item for item in shown.scene().items() if item.data(0) == ("drag",)]


def test_a_drag_dropped_on_empty_space_or_from_theirs_does_nothing(qtbot, shown):
    with qtbot.assertNotEmitted(shown.link_requested):
        _drag(qtbot, shown, _centre(shown, "ours", 10), _empty_spot(shown))
        _drag(qtbot, shown, _centre(shown, "ours", 10), _centre(shown, "ours", 11))
        _drag(qtbot, shown, _centre(shown, "theirs", 5), _centre(shown, "ours", 10))
    assert not [item for item in shown.scene().items() if item.data(0) == ("drag",)]


# Zoom, images, menu ---------------------------------------------------------------------------


def test_fit_and_zoom_change_the_transform(qtbot, shown):
    shown.fit()
    scene = shown.scene().sceneRect()
    fitted = shown.zoom_level()
    viewport = shown.viewport().rect()
    expected = min(viewport.width() / scene.width(), viewport.height() / scene.height())
    assert fitted == pytest.approx(expected, rel=0.05)
    shown.zoom_in()
    assert shown.zoom_level() == pytest.approx(fitted * 1.25)
    shown.zoom_out()
    shown.zoom_out()
    assert shown.zoom_level() == pytest.approx(fitted / 1.25)
    shown.fit()
    assert shown.zoom_level() == pytest.approx(fitted)


def test_ctrl_wheel_zooms_and_plain_wheel_does_not(qtbot, shown):
    shown.fit()
    fitted = shown.zoom_level()
    centre = QPointF(shown.viewport().rect().center())

    def wheel(modifiers: Qt.KeyboardModifier) -> None:
        event = QWheelEvent(
            centre,
            shown.viewport().mapToGlobal(centre),
            QPoint(0, 0),
            QPoint(0, 120),
            Qt.MouseButton.NoButton,
            modifiers,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(shown.viewport(), event)

    wheel(Qt.KeyboardModifier.NoModifier)
    assert shown.zoom_level() == pytest.approx(fitted)
    wheel(Qt.KeyboardModifier.ControlModifier)
    assert shown.zoom_level() == pytest.approx(fitted * 1.15)


def test_context_menu_offers_fit_zoom_and_save(qtbot, shown):
    menu = shown.context_menu()
    actions = [a for a in menu.actions() if not a.isSeparator()]
    assert [a.text() for a in actions] == ["Fit", "Zoom in", "Zoom out", "Save map as PNG…"]
    before = shown.zoom_level()
    actions[1].trigger()
    assert shown.zoom_level() > before
    actions[0].trigger()
    assert shown.zoom_level() == pytest.approx(before)
    menu.deleteLater()


def test_save_png_through_the_dialog(qtbot, shown, scripted, tmp_path: Path):
    target = tmp_path / "map.png"
    scripted.files.append(str(target))
    shown.save_with_dialog()
    assert scripted.shown[0][0] == "save_image"
    assert not [s for s in scripted.shown if s[0] == "warn"]
    image = QImage(str(target))
    assert not image.isNull()
    rect = shown.scene().sceneRect()
    assert abs(image.width() - rect.width()) <= 1 and abs(image.height() - rect.height()) <= 1


def test_a_failed_save_warns(qtbot, shown, scripted, tmp_path: Path):
    scripted.files.append(str(tmp_path / "no such folder" / "map.png"))
    shown.save_with_dialog()
    warnings = [s for s in scripted.shown if s[0] == "warn"]
    assert len(warnings) == 1 and "no such folder" in warnings[0][2]


def test_a_cancelled_save_does_nothing(qtbot, shown, scripted):
    shown.save_with_dialog()
    assert [s[0] for s in scripted.shown] == ["save_image"]


def test_render_image_is_the_size_asked_for(view):
    data = _known_map()
    view.set_map(data, analyse_map(data, TeamSettings()))
    image = view.render_image(640, 400)
    assert (image.width(), image.height()) == (640, 400)


# Empty states -----------------------------------------------------------------------------------


def test_an_account_with_nobody_shows_what_to_do(view):
    data = OrgMapData(3, "新客户", AccountClass.B, (), (), ())
    view.set_map(data, analyse_map(data, TeamSettings()))
    assert view.empty_text().startswith("No contacts at this account yet")
    assert view.empty_text() in _texts(view)
    assert view.person_items() == {} and view.gap_markers() == [] and view.coverage_text() == ""
    image = view.render_image(600, 300)
    assert not image.isNull()


def test_theirs_without_ours_says_nobody_from_our_team(view):
    theirs = (MapContact(1, "王总", "总经理", "owner", "decision_maker"),)
    data = OrgMapData(1, "甲", AccountClass.A, theirs, (), ())
    view.set_map(data, analyse_map(data, TeamSettings()))
    assert view.empty_text() == ""
    assert "Nobody from our team is on this account yet." in _texts(view)
    assert view.gap_markers() == [("theirs", 1)]


def test_set_map_again_replaces_the_old_map(view):
    data = _known_map()
    view.set_map(data, analyse_map(data, TeamSettings()))
    one = _one_link_map()
    view.set_map(one, analyse_map(one, TeamSettings()))
    assert set(view.person_items()) == {("theirs", 1), ("theirs", 2), ("ours", 10)}
    assert view.link_item(11, 1) is None
    view.clear_map()
    assert view.person_items() == {} and view.banner_text() == ""


# The demo ---------------------------------------------------------------------------------------


def test_screenshot_of_the_demo_top_account(qtbot, view, tmp_path: Path):
    path = tmp_path / "demo.kamdb"
    load_demo(path, "small")
    ws = open_workspace(path, "x")
    try:
        top = ws.accounts.page(AccountQuery(), 0, 1)[0]
        result = ws.contacts.org_map(top.id)
    finally:
        ws.close()
    assert result is not None
    data, analysis = result
    assert data.theirs and data.links
    view.set_map(data, analysis)
    assert len(view.person_items()) == len(data.theirs) + len(data.ours)
    out = tmp_path / "top.png"
    assert view.save_png(str(out))
    image = QImage(str(out))
    assert image.width() > 400 and image.height() > 300
    step = 3
    colours = {image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)}
    assert len(colours) > 50, "the image is blank"
    dark = sum(
        image.pixelColor(x, y).lightness() < 80
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    )
    assert dark > 200, "no text drawn"
    if any(status in ("at", "above") for status in analysis.link_status.values()):
        assert any(
            _near(image.pixelColor(x, y), GOOD_COLOUR, 12)
            for x in range(0, image.width(), 2)
            for y in range(0, image.height(), 2)
        )
