"""The shared list table: columns fit the rows when they arrive, elided text has a tooltip, set widths are kept."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication

from kamdesk.ui.app_settings import AppSettings
from kamdesk.ui.widgets.record_list import MAX_AUTO_WIDTH, RecordTable

HEADERS = ["姓名", "公司", "职位", "关系阶段", "最近联系"]
PEOPLE = [
    ["王建国", "上海恒信精密机械股份有限公司 (A)", "采购部经理", "好朋友（1 级）", "2026/11/30"],
    ["李 娜", "苏州德瑞自动化科技有限公司 (B)", "经理/正副总监", "陌生（0 级）", "2026/10/2"],
]


def _model() -> QStandardItemModel:
    model = QStandardItemModel(0, len(HEADERS))
    model.setHorizontalHeaderLabels(HEADERS)
    return model


def _add(model: QStandardItemModel, rows: list[list[str]]) -> None:
    for row in rows:
        model.appendRow([QStandardItem(text) for text in row])
    QApplication.processEvents()  # the columns are fitted once the caller has filled the rows


def _shown(table: RecordTable) -> RecordTable:
    table.resize(1000, 300)
    table.show()
    QApplication.processEvents()
    return table


def _drag_divider(qtbot, table: RecordTable, column: int, width: int) -> None:
    """Drag the right edge of `column`'s title with the mouse until the column is `width` wide."""
    header = table.horizontalHeader()
    edge = header.sectionViewportPosition(column) + header.sectionSize(column) - 1
    y = header.height() // 2
    qtbot.mousePress(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge, y))
    qtbot.mouseMove(header.viewport(), QPoint(edge + width - header.sectionSize(column), y))
    qtbot.mouseRelease(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge + width - header.sectionSize(column), y)
    )
    QApplication.processEvents()


def _fits(table: RecordTable, column: int, text: str) -> bool:
    return table.columnWidth(column) >= table.fontMetrics().horizontalAdvance(text)


def test_columns_fit_the_rows_that_arrive_after_an_empty_start(qtbot, app_settings: AppSettings):
    model = _model()
    table = RecordTable(model, 0, Qt.SortOrder.AscendingOrder, "people-test")
    qtbot.addWidget(table)
    empty_width = table.columnWidth(1)
    _add(model, PEOPLE)  # the first contact saved into an empty file
    assert table.columnWidth(1) > empty_width
    for column in range(len(HEADERS)):
        for row in PEOPLE:
            assert _fits(table, column, row[column]), (column, row[column])
    # The last column is as wide as its dates, not stretched over the free space.
    assert table.columnWidth(4) < 200
    assert not table.horizontalHeader().stretchLastSection()


def test_text_longer_than_a_column_is_elided_with_a_tooltip(qtbot, app_settings: AppSettings):
    model = _model()
    table = RecordTable(model, 0, Qt.SortOrder.AscendingOrder, "people-test")
    qtbot.addWidget(table)
    long_name = "中国石油化工股份有限公司上海高桥分公司第二炼油厂设备采购中心华东片区 (A)"
    _add(model, [["赵 敏", long_name, "主任", "认识（0 级）", "2026/9/1"]])
    assert table.columnWidth(1) == MAX_AUTO_WIDTH
    table.resize(1200, 400)
    table.show()
    qtbot.waitExposed(table)
    assert table.is_elided(model.index(0, 1))
    assert not table.is_elided(model.index(0, 0))


def test_widths_a_person_sets_are_remembered(qtbot, app_settings: AppSettings):
    model = _model()
    _add(model, PEOPLE)
    table = _shown(RecordTable(model, 0, Qt.SortOrder.AscendingOrder, "people-test"))
    qtbot.addWidget(table)
    _drag_divider(qtbot, table, 2, 77)
    assert table.columnWidth(2) == 77
    table.save_widths()
    assert app_settings.column_widths("people-test")["2"] == 77

    again = _shown(RecordTable(_model(), 0, Qt.SortOrder.AscendingOrder, "people-test"))
    qtbot.addWidget(again)
    _add(again.model(), PEOPLE)  # type: ignore[arg-type]
    assert again.columnWidth(2) == 77
    assert _fits(again, 1, PEOPLE[0][1])  # the others still fit their contents
    again.forget_widths()
    assert _fits(again, 2, PEOPLE[1][2]) and again.columnWidth(2) != 77
    assert "2" not in AppSettings(app_settings.path).column_widths("people-test")


def test_an_elided_cell_shows_its_full_text_as_a_tooltip(qtbot, app_settings: AppSettings):
    model = _model()
    table = RecordTable(model, 0, Qt.SortOrder.AscendingOrder, "people-test")
    qtbot.addWidget(table)
    _add(model, PEOPLE)
    table.resize(900, 300)
    table.setColumnWidth(1, 60)

    def hover(column: int) -> str | None:
        return table.elided_text_at(table.visualRect(model.index(0, column)).center())

    assert hover(1) == PEOPLE[0][1]
    assert hover(0) is None  # a name that fits needs no tooltip


def test_a_table_widget_filled_while_hidden_fits_when_shown(qtbot, app_settings: AppSettings):
    from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

    from kamdesk.ui.widgets.record_list import ColumnFitter

    table = QTableWidget(0, 3)
    qtbot.addWidget(table)
    table.setHorizontalHeaderLabels(["客户", "逾期行动", "最近修改"])
    fitter = ColumnFitter(table)
    for row, texts in enumerate([["上海恒信精密机械股份有限公司", "3", "2026/12/5 21:41"]]):
        table.insertRow(row)
        for column, text in enumerate(texts):
            table.setItem(row, column, QTableWidgetItem(text))
    _shown(table)  # type: ignore[arg-type]
    metrics = table.fontMetrics()
    assert table.columnWidth(0) >= metrics.horizontalAdvance("上海恒信精密机械股份有限公司")
    assert table.columnWidth(1) >= table.horizontalHeader().fontMetrics().horizontalAdvance("逾期行动")
    # Narrowed, the company name is cut short, and the fitter offers it whole as a tooltip.
    table.setColumnWidth(0, 60)
    centre = table.visualRect(table.model().index(0, 0)).center()
    assert fitter.elided_text_at(centre) == "上海恒信精密机械股份有限公司"
    assert fitter.elided_text_at(table.visualRect(table.model().index(0, 1)).center()) is None


def test_the_pages_own_resizes_are_not_remembered_as_the_persons(qtbot, app_settings: AppSettings):
    model = _model()
    _add(model, PEOPLE)
    table = _shown(RecordTable(model, 0, Qt.SortOrder.AscendingOrder, "people-test"))
    qtbot.addWidget(table)
    table.setColumnWidth(1, 60)  # code, not a person
    table.save_widths()
    assert app_settings.column_widths("people-test") == {}
    table.fit_columns()
    assert _fits(table, 1, PEOPLE[0][1])


def test_squeezed_widths_cut_the_widest_first_and_keep_titles():
    from kamdesk.ui.widgets.record_list import squeezed

    # due, kind, contact, account, reason: 800 px wanted, 600 to spare
    widths = squeezed([130, 40, 60, 250, 320], [40, 40, 50, 40, 40], 600)
    assert sum(widths) <= 600
    assert widths[:3] == [130, 40, 60]  # the narrow ones keep their width
    assert widths[3] == widths[4] and widths[3] >= 180
    assert squeezed([300, 300], [200, 250], 100) == [200, 250]  # never below a title


def test_an_agenda_tree_fits_beside_its_last_column(qtbot):
    from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

    from kamdesk.ui.widgets.record_list import fit_tree_columns

    tree = QTreeWidget()
    qtbot.addWidget(tree)
    tree.setHeaderLabels(["到期", "类型", "关系人", "客户", "原因", "我方人员"])
    for n in range(60):
        reason = "日常周期性问候 — 每 30–60 天一次" if n % 2 else "定期联系规则 — A 级客户每 14 天"
        texts = ["2026/12/7 09:00", "电话", "诸葛若曦", "中国移动通信集团上海有限公司第二分公司", reason, "刘洋"]
        tree.addTopLevelItem(QTreeWidgetItem(texts))
    tree.resize(600, 400)
    tree.show()
    QApplication.processEvents()
    fit_tree_columns(tree, 5)
    used = sum(tree.columnWidth(column) for column in range(5))
    assert used + tree.sizeHintForColumn(5) <= tree.viewport().width()
    assert tree.columnWidth(0) >= tree.fontMetrics().horizontalAdvance("2026/12/7 09:00")
