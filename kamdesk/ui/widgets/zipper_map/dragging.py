"""Pointing at people on the org map: a double-click activates one, dragging from ours onto theirs asks for a link."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPalette, QPen
from PySide6.QtWidgets import QApplication, QGraphicsLineItem, QGraphicsScene, QGraphicsView, QWidget

from kamdesk.ui.widgets.zipper_map.items import PersonCard
from kamdesk.ui.widgets.zipper_map.style import OURS, THEIRS, Z_DRAG


class PeopleView(QGraphicsView):
    """A view of person cards that turns the mouse into activations and link requests."""

    contact_activated = Signal(int)
    member_activated = Signal(int)
    link_requested = Signal(int, int)  # member id, contact id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scene = QGraphicsScene(self)
        self._press: tuple[PersonCard, QPoint] | None = None
        self._drag_line: QGraphicsLineItem | None = None
        self._drop_target: PersonCard | None = None
        self._cursor = self.viewport().cursor()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        card = self._card_at(event.position().toPoint())
        super().mouseDoubleClickEvent(event)
        if card is not None and event.button() == Qt.MouseButton.LeftButton:
            self._activate(card.side, card.person_id)
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self._press = None
        if event.button() == Qt.MouseButton.LeftButton:
            card = self._card_at(event.position().toPoint())
            if card is not None and card.side == OURS:
                self._press = (card, event.position().toPoint())
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            card, start = self._press
            position = event.position().toPoint()
            if self._drag_line is None:
                if (position - start).manhattanLength() < QApplication.startDragDistance():
                    event.accept()
                    return
                self._start_drag(card)
            self._update_drag(card, position)
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        press, dragging = self._press, self._drag_line is not None
        target = self._card_at(event.position().toPoint()) if dragging else None
        self._press = None
        self._cancel_drag()
        super().mouseReleaseEvent(event)
        if press is not None and dragging and target is not None and target.side == THEIRS:
            self.link_requested.emit(press[0].person_id, target.person_id)

    def _activate(self, side: str, person_id: int) -> None:
        if side == THEIRS:
            self.contact_activated.emit(person_id)
        else:
            self.member_activated.emit(person_id)

    def _card_at(self, position: QPoint) -> PersonCard | None:
        return next((item for item in self.items(position) if isinstance(item, PersonCard)), None)

    def _start_drag(self, card: PersonCard) -> None:
        style_pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 2.5, Qt.PenStyle.DashLine)
        style_pen.setCosmetic(True)
        self._drag_line = QGraphicsLineItem()
        self._drag_line.setPen(style_pen)
        self._drag_line.setZValue(Z_DRAG)
        self._drag_line.setData(0, ("drag",))
        self._scene.addItem(self._drag_line)
        self._cursor = self.viewport().cursor()
        self.viewport().setCursor(Qt.CursorShape.CrossCursor)

    def _update_drag(self, card: PersonCard, position: QPoint) -> None:
        assert self._drag_line is not None
        anchor = card.mapToScene(QPointF(0, card.rect().height() / 2))
        self._drag_line.setLine(QLineF(anchor, self.mapToScene(position)))
        target = self._card_at(position)
        target = target if target is not None and target.side == THEIRS else None
        if target is not self._drop_target:
            if self._drop_target is not None:
                self._drop_target.set_drop_target(False)
            if target is not None:
                target.set_drop_target(True)
            self._drop_target = target

    def _cancel_drag(self) -> None:
        if self._drop_target is not None:
            self._drop_target.set_drop_target(False)
            self._drop_target = None
        if self._drag_line is not None:
            self._scene.removeItem(self._drag_line)
            self._drag_line = None
            self.viewport().setCursor(self._cursor)
