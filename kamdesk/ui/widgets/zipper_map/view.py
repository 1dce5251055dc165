"""The zipper map view: lays out the scene, zooms, exports, and answers clicks and keys."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsScene,
    QGraphicsView,
    QMenu,
    QWidget,
)

from kamdesk.domain.org_map import (
    MapAnalysis,
    OrgMapData,
    link_status,
)
from kamdesk.i18n import _
from kamdesk.ui import prompts
from kamdesk.ui.widgets.charts import percent
from kamdesk.ui.widgets.colours import tinted
from kamdesk.ui.widgets.zipper_map.dragging import PeopleView
from kamdesk.ui.widgets.zipper_map.geometry import (
    _choose_layout,
    _edge_point,
    _fan_out,
    _Grid,
    _route,
    point_at_x,
)
from kamdesk.ui.widgets.zipper_map.items import (
    GapBadge,
    Legend,
    LinkItem,
    PersonCard,
    TextBlock,
    our_lines,
    their_lines,
)
from kamdesk.ui.widgets.zipper_map.style import (
    GAP_COLOUR,
    MAX_EXPORT_SIDE,
    MAX_SCALE,
    MIN_SCALE,
    OUR_COLOUR,
    OURS,
    THEIRS,
    WHEEL_STEP,
    Z_BAND,
    Z_CARD,
    Z_REPORTS,
    ZOOM_STEP,
    _Style,
    contact_stage,
    rank_label,
    stage_text,
)

# --- the view -----------------------------------------------------------------------------------


class ZipperMapView(PeopleView):
    """Both organisations side by side by rank, the ties between them, and the gaps in the zipper.

    A click selects a person; a double-click (or Enter on the selection) activates them. Dragging
    from one of ours onto one of theirs asks for a link between the two.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Few hundred items, rebuilt whole on every change: a BSP index would cost more than it saves.
        self._scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.setScene(self._scene)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(_("Relationship map"))
        self._data: OrgMapData | None = None
        self._analysis: MapAnalysis | None = None
        self._people: dict[tuple[str, int], PersonCard] = {}
        self._links: dict[tuple[int, int], LinkItem] = {}
        self._gaps: list[tuple[str, int] | tuple[str, int, int]] = []
        self._banner = ""
        self._coverage = ""
        self._empty = ""
        self._zipper_x = 0.0
        self._auto_fit = True

    # --- content ------------------------------------------------------------------------------

    def set_map(self, data: OrgMapData, analysis: MapAnalysis) -> None:
        """Draw the map of one account; the view fits it until the person zooms."""
        self._data, self._analysis = data, analysis
        self._rebuild()
        self.fit()

    def clear_map(self) -> None:
        self._data = self._analysis = None
        self._rebuild()

    def map_data(self) -> OrgMapData | None:
        return self._data

    def analysis(self) -> MapAnalysis | None:
        return self._analysis

    def _rebuild(self) -> None:
        self._cancel_drag()
        self._press = None
        self._scene.clear()
        self._people, self._links, self._gaps = {}, {}, []
        self._banner = self._coverage = self._empty = ""
        style = _Style(self.font(), self.palette())
        self._scene.setBackgroundBrush(style.base)
        if self._data is not None and self._analysis is not None:
            if not self._data.theirs and not self._data.ours:
                self._build_empty(style)
            else:
                self._build(style, self._data, self._analysis)
        rect = self._scene.itemsBoundingRect()
        self._scene.setSceneRect(rect.adjusted(-style.margin, -style.margin, style.margin, style.margin))

    def _build_empty(self, style: _Style) -> None:
        self._empty = _(
            "No contacts at this account yet. Add the people you deal with there, then link "
            "each of them to someone on our team: the map will show who knows whom."
        )
        self._scene.addItem(TextBlock(self._empty, style.font, style.muted, style.line * 24))

    def _build(self, style: _Style, data: OrgMapData, analysis: MapAnalysis) -> None:
        theirs = {c.id: their_lines(c, analysis.targets.get(c.id)) for c in data.theirs}
        ours = {m.id: our_lines(m) for m in data.ours}
        style.fit_cards([*theirs.values(), *ours.values()])
        layout = _choose_layout(data, style)
        probe = _Grid(layout, style, 0)
        left, width = probe.left, probe.right - probe.left
        y = 0.0
        title = TextBlock(data.account_name, style.title, style.text, width, wrap=False)
        title.setPos(left, y)
        self._scene.addItem(title)
        y += title.rect().height() + style.pad * 0.5
        if analysis.bow_tie is not None:
            self._banner = analysis.bow_tie.explanation
            banner = TextBlock(
                self._banner,
                style.font,
                style.text,
                width,
                fill=tinted(GAP_COLOUR, 28),
                border=GAP_COLOUR,
                padding=style.pad,
                badge=style,
            )
            banner.setPos(left, y)
            self._scene.addItem(banner)
            y += banner.rect().height() + style.pad
        self._coverage = self._coverage_text(data, analysis)
        if self._coverage:
            coverage = TextBlock(self._coverage, style.font, style.text, width)
            coverage.setPos(left, y)
            self._scene.addItem(coverage)
            y += coverage.rect().height() + style.pad
        grid = _Grid(layout, style, y + style.line * 1.8)
        self._add_headings(style, grid, y)
        self._add_bands(style, grid)
        self._add_people(style, grid, data, analysis, theirs, ours)
        self._add_reports(style, data)
        self._add_links(style, grid, data, analysis)
        self._add_zipper(style, grid)
        legend = Legend(style, width)
        legend.setPos(left, grid.bottom() + style.line * 0.8)
        self._scene.addItem(legend)

    def _coverage_text(self, data: OrgMapData, analysis: MapAnalysis) -> str:
        if not data.theirs:
            return ""
        share = analysis.coverage_share
        if share is None:
            return _("No key people marked yet: give their people a buying role to see coverage.")
        parts = [_("Coverage of key people: {share}").format(share=percent(share, self.locale()))]
        parts += [
            _("{tier} {covered}/{people}").format(
                tier=rank_label(row.rank_tier), covered=row.covered, people=row.key_people
            )
            for row in analysis.coverage
        ]
        return " · ".join(parts)

    def _add_headings(self, style: _Style, grid: _Grid, y: float) -> None:
        their_width = -style.zipper_gap / 2 - grid.left
        our_width = grid.right - style.zipper_gap / 2
        theirs = TextBlock(_("Their people"), style.bold, style.text, their_width, wrap=False)
        theirs.setPos(grid.left, y)
        ours = TextBlock(
            _("Our team"), style.bold, OUR_COLOUR if style.base.lightness() > 128 else style.text, our_width, wrap=False
        )
        ours.setPos(style.zipper_gap / 2, y)
        self._scene.addItem(theirs)
        self._scene.addItem(ours)

    def _add_bands(self, style: _Style, grid: _Grid) -> None:
        for index, band in enumerate(grid.layout.bands):
            rect = grid.band_rect(index)
            item = self._scene.addRect(rect, QPen(Qt.PenStyle.NoPen), style.band_fills[index % 2])
            item.setZValue(Z_BAND)
            item.setData(0, ("band", band.rank_tier))
            # Filled with the band's colour and over the lines, so no reports-to line strikes it through.
            label = TextBlock(
                rank_label(band.rank_tier),
                style.small,
                style.muted,
                rect.width() - 2 * style.pad,
                wrap=False,
                fill=style.band_fills[index % 2],
                padding=2,
            )
            label.setPos(rect.left() + style.pad - 2, rect.top() + (style.band_header - style.small_line) / 2 - 2)
            label.setZValue(Z_CARD)
            self._scene.addItem(label)

    def _add_people(
        self,
        style: _Style,
        grid: _Grid,
        data: OrgMapData,
        analysis: MapAnalysis,
        theirs: dict[int, list[tuple[str, str]]],
        ours: dict[int, list[tuple[str, str]]],
    ) -> None:
        uncovered = set(analysis.uncovered_key_people)
        cells = grid.layout.cells
        for contact in data.theirs:
            cell = cells.get((THEIRS, contact.id))
            if cell is None:
                continue
            target = analysis.targets.get(contact.id)
            gap = contact.id in uncovered
            card = PersonCard(
                THEIRS,
                contact.id,
                style,
                theirs[contact.id],
                key=contact.is_key,
                gap=gap,
                status=link_status(contact_stage(contact), target),
            )
            tip = [text for _kind, text in theirs[contact.id] if text]
            if gap:
                tip.append(_("Key person with no counterpart on our team"))
                self._gaps.append((THEIRS, contact.id))
            card.setToolTip("\n".join(tip))
            self._place(card, grid, cell)
        for member in data.ours:
            cell = cells.get((OURS, member.id))
            if cell is None:
                continue
            card = PersonCard(OURS, member.id, style, ours[member.id])
            card.setToolTip("\n".join(text for _kind, text in ours[member.id] if text))
            self._place(card, grid, cell)
        self._add_side_hint(style, grid, THEIRS if not data.theirs else OURS if not data.ours else "")

    def _place(self, card: PersonCard, grid: _Grid, cell: tuple[int, int]) -> None:
        card.column = cell[0]
        card.setPos(grid.card_left(cell[0]), grid.card_top(cell[1]))
        self._people[(card.side, card.person_id)] = card
        self._scene.addItem(card)

    def _add_side_hint(self, style: _Style, grid: _Grid, side: str) -> None:
        if not side:
            return
        text = (
            _("No contacts at this account yet.")
            if side == THEIRS
            else _("Nobody from our team is on this account yet.")
        )
        hint = TextBlock(text, style.font, style.muted, style.card_width)
        hint.setPos(grid.card_left(-1 if side == THEIRS else 1), grid.card_top(0))
        self._scene.addItem(hint)

    def _add_reports(self, style: _Style, data: OrgMapData) -> None:
        """Thin grey org-chart lines from each of their people up to their boss, all in one path."""
        path = QPainterPath()
        for contact in data.theirs:
            card = self._people.get((THEIRS, contact.id))
            boss = self._people.get((THEIRS, contact.reports_to_id)) if contact.reports_to_id else None
            if card is None or boss is None or boss is card:
                continue
            mine = QRectF(card.pos(), card.rect().size())
            above = QRectF(boss.pos(), boss.rect().size())
            if mine.top() > above.bottom():
                # Down from the boss, along the gap over the person's row, down into their card.
                elbow = mine.top() - style.row_gap / 2
                path.moveTo(above.center().x(), above.bottom())
                path.lineTo(above.center().x(), elbow)
                path.lineTo(mine.center().x(), elbow)
                path.lineTo(mine.center().x(), mine.top())
            else:
                path.moveTo(_edge_point(above, mine.center()))
                path.lineTo(_edge_point(mine, above.center()))
        if not path.isEmpty():
            item = self._scene.addPath(path, style.reports_pen)
            item.setZValue(Z_REPORTS)

    def _add_links(self, style: _Style, grid: _Grid, data: OrgMapData, analysis: MapAnalysis) -> None:
        pairs = [
            (link.member_id, link.contact_id)
            for link in data.links
            if (link.member_id, link.contact_id) in analysis.link_status
            and (OURS, link.member_id) in self._people
            and (THEIRS, link.contact_id) in self._people
        ]
        pairs = list(dict.fromkeys(pairs))
        centre_y = {key: card.pos().y() + style.card_height / 2 for key, card in self._people.items()}
        by_contact: dict[int, list[tuple[tuple[int, int], float]]] = {}
        by_member: dict[int, list[tuple[tuple[int, int], float]]] = {}
        for member_id, contact_id in pairs:
            by_contact.setdefault(contact_id, []).append(((member_id, contact_id), centre_y[(OURS, member_id)]))
            by_member.setdefault(member_id, []).append(((member_id, contact_id), centre_y[(THEIRS, contact_id)]))
        their_end = _fan_out(by_contact, style)
        our_end = _fan_out(by_member, style)
        stages = {(link.member_id, link.contact_id): link.relationship_stage for link in data.links}
        names = {(OURS, m.id): m.name for m in data.ours} | {(THEIRS, c.id): c.name for c in data.theirs}
        badge_x = -style.zipper_gap * 0.3
        for key in pairs:
            member_id, contact_id = key
            status = analysis.link_status[key]
            theirs = _route(self._people[(THEIRS, contact_id)], their_end[key], style)
            ours = _route(self._people[(OURS, member_id)], our_end[key], style)
            start, end = theirs[-1], ours[-1]
            reach = (end.x() - start.x()) * 0.5
            c1, c2 = QPointF(start.x() + reach, start.y()), QPointF(end.x() - reach, end.y())
            path = QPainterPath(theirs[0])
            for point in theirs[1:]:
                path.lineTo(point)
            path.cubicTo(c1, c2, end)
            for point in reversed(ours[:-1]):
                path.lineTo(point)
            item = LinkItem(member_id, contact_id, path, style.link_pens[status], status)
            target = analysis.targets.get(contact_id)
            item.setToolTip(
                _("{ours} and {theirs}: {progress}").format(
                    ours=names[(OURS, member_id)],
                    theirs=names[(THEIRS, contact_id)],
                    progress=stage_text(stages[key], target),
                )
            )
            self._links[key] = item
            self._scene.addItem(item)
            if status == "below":
                self._gaps.append(("link", member_id, contact_id))
                self._scene.addItem(GapBadge(style, point_at_x(start, c1, c2, end, badge_x), member_id, contact_id))

    def _add_zipper(self, style: _Style, grid: _Grid) -> None:
        """A line with teeth down the middle: the seam where the two organisations meet."""
        top, bottom = grid.top - style.pad, grid.bottom()
        path = QPainterPath(QPointF(0, top))
        path.lineTo(0, bottom)
        tooth = style.line * 0.3
        y, side = top + tooth, -1
        while y < bottom - tooth:
            path.moveTo(0, y)
            path.lineTo(side * tooth, y)
            y, side = y + tooth * 1.5, -side
        item = self._scene.addPath(path, style.zipper_pen)
        item.setZValue(Z_REPORTS)
        item.setData(0, ("zipper",))
        self._zipper_x = 0.0

    # --- queries (for tests and callers) ------------------------------------------------------

    def person_item(self, side: str, person_id: int) -> PersonCard | None:
        return self._people.get((side, person_id))

    def person_items(self) -> dict[tuple[str, int], PersonCard]:
        return dict(self._people)

    def link_item(self, member_id: int, contact_id: int) -> LinkItem | None:
        return self._links.get((member_id, contact_id))

    def link_colour(self, member_id: int, contact_id: int) -> QColor:
        item = self._links.get((member_id, contact_id))
        if item is None:
            raise KeyError((member_id, contact_id))
        return item.pen().color()

    def gap_markers(self) -> list[tuple[str, int] | tuple[str, int, int]]:
        """The gaps marked with "!": ("theirs", contact id) per uncovered key person, ("link", member id,
        contact id) per link below target."""
        return list(self._gaps)

    def banner_text(self) -> str:
        return self._banner

    def coverage_text(self) -> str:
        return self._coverage

    def empty_text(self) -> str:
        return self._empty

    def zipper_x(self) -> float:
        return self._zipper_x

    def selected_person(self) -> tuple[str, int] | None:
        cards = [item for item in self._scene.selectedItems() if isinstance(item, PersonCard)]
        return (cards[0].side, cards[0].person_id) if cards else None

    def select_person(self, side: str, person_id: int) -> None:
        self._scene.clearSelection()
        card = self._people.get((side, person_id))
        if card is not None:
            card.setSelected(True)
            self.ensureVisible(card)

    def select_people(self, contact_ids: list[int], member_ids: list[int]) -> None:
        """Select the cards of these people of theirs and ours (a zipper finding's), and bring them into view."""
        self._scene.clearSelection()
        cards = [self._people.get((THEIRS, i)) for i in contact_ids] + [self._people.get((OURS, i)) for i in member_ids]
        shown = [card for card in cards if card is not None]
        for card in shown:
            card.setSelected(True)
        if shown:
            self.ensureVisible(shown[0])

    # --- zoom and images ----------------------------------------------------------------------

    def fit(self) -> None:
        """The whole map in view, keeping its proportions; it stays fitted as the view resizes."""
        self._auto_fit = True
        rect = self._scene.sceneRect()
        if not rect.isEmpty():
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def zoom_in(self) -> None:
        self._zoom(ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom(1 / ZOOM_STEP)

    def zoom_level(self) -> float:
        return self.transform().m11()

    def _zoom(self, factor: float) -> None:
        self._auto_fit = False
        current = self.transform().m11()
        wanted = min(max(current * factor, MIN_SCALE), MAX_SCALE)
        if current > 0 and wanted != current:
            self.scale(wanted / current, wanted / current)

    def render_image(self, width: int, height: int) -> QImage:
        """The whole map drawn into width × height, keeping its proportions, on the base colour."""
        image = QImage(max(width, 1), max(height, 1), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(self.palette().color(QPalette.ColorRole.Base))
        painter = QPainter(image)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        source = self._scene.sceneRect()
        if not source.isEmpty():
            self._scene.render(painter, QRectF(image.rect()), source, Qt.AspectRatioMode.KeepAspectRatio)
        painter.end()
        return image

    def save_png(self, path: str) -> bool:
        """The whole map at full size (within MAX_EXPORT_SIDE) as a PNG file."""
        rect = self._scene.sceneRect()
        scale = min(1.0, MAX_EXPORT_SIDE / max(rect.width(), rect.height(), 1.0))
        image = self.render_image(math.ceil(rect.width() * scale), math.ceil(rect.height() * scale))
        return image.save(path, "PNG")  # type: ignore[call-overload]  # the stubs want bytes; PySide6 wants str

    def save_with_dialog(self) -> None:
        path = prompts.current().save_image(self, _("Save map as PNG"))
        if path and not self.save_png(path):
            message = _(
                "The map could not be saved to {path}. Check that the folder exists and that you may write to it."
            )
            prompts.current().warn(self, _("Map not saved"), message.format(path=path))

    def context_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction(_("Fit"), self.fit)
        menu.addAction(_("Zoom in"), self.zoom_in)
        menu.addAction(_("Zoom out"), self.zoom_out)
        menu.addSeparator()
        menu.addAction(_("Save map as PNG…"), self.save_with_dialog)
        return menu

    # --- events -------------------------------------------------------------------------------

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        menu = self.context_menu()
        menu.exec(event.globalPos())
        menu.deleteLater()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self._auto_fit:
            self.fit()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._auto_fit:
            self.fit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange) and self._data is not None:
            self._rebuild()
            if self._auto_fit:
                self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self._zoom(WHEEL_STEP**steps)
            event.accept()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            selected = self.selected_person()
            if selected is not None:
                self._activate(*selected)
                event.accept()
                return
        if event.matches(QKeySequence.StandardKey.ZoomIn):
            self.zoom_in()
        elif event.matches(QKeySequence.StandardKey.ZoomOut):
            self.zoom_out()
        elif event.key() == Qt.Key.Key_0 and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.fit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()
