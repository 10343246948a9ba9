"""kaohe.headers.find_header: the one header finder of input sheets, punch exports, 赤兔 and reconcile files."""
from kaohe.headers import column_index, find_header, header_key


def test_header_below_title_rows_with_spaces_inside_names():
    rows = [["打卡记录（11月）"], [None, "导出：2026-12-01"], ["工 号", "姓名", " 打卡\n时间 ", 5], ["001", "张三", "x"]]
    h = find_header(rows, ("工号", "打卡时间"))
    assert h.row == 2
    assert h.names == ("工号", "姓名", "打卡时间", "")  # the number 5 is no header text
    assert h.columns == {"工号": 0, "姓名": 1, "打卡时间": 2}
    assert h.value(rows[3], "姓名") == "张三" and h.value(rows[3], "打卡时间") == "x"
    assert h.value(["001"], "姓名") is None and h.value(rows[3], "部门") is None


def test_missing_required_column_is_no_header():
    rows = [["工号", "姓名"], ["001", "张三"]]
    assert find_header(rows, ("工号", "打卡时间")) is None


def test_header_beyond_the_scanned_rows_is_not_found():
    rows = [["标题"]] * 3 + [["工号", "姓名"]]
    assert find_header(rows, ("工号",), scan=3) is None
    assert find_header(rows, ("工号",), scan=4).row == 3


def test_optional_columns_are_looked_up_when_present_and_duplicates_take_the_first():
    rows = [["姓名", "工号", "备注", "工号"]]
    h = find_header(rows, ("工号",))
    assert h.columns["工号"] == 1 and "备注" in h and "部门" not in h


def test_alternatives_need_one_whole_group():
    alternatives = (("日期", "时间"), ("打卡时间",))
    assert find_header([["工号", "日期"]], ("工号",), alternatives=alternatives) is None
    assert find_header([["工号", "时间", "日期"]], ("工号",), alternatives=alternatives).row == 0
    assert find_header([["工号", "打卡时间"]], ("工号",), alternatives=alternatives).row == 0


def test_an_extra_test_moves_the_search_down():
    rows = [["客服", "备注"], ["客服", "回复率"]]
    h = find_header(rows, alternatives=(("客服昵称",), ("客服",)), test=lambda h: "回复率" in h)
    assert h.row == 1


def test_two_level_header_is_joined_group_slash_label():
    top = ["姓名", "UserId", "请假", None, "加班"]
    sub = [None, None, "事假(天)", "病假(天)", None]
    h = find_header([["月度汇总"], top, sub, ["张三", "u1", 1, 0, 2]], ("姓名",), two_level=True)
    assert h.row == 2  # data starts under the second level
    assert h.names == ("姓名", "UserId", "请假/事假(天)", "请假/病假(天)", "加班")
    # looked up by full name, by label and by group (its first column)
    assert (h.columns["请假/病假(天)"], h.columns["病假(天)"], h.columns["请假"]) == (3, 3, 2)


def test_two_level_left_packed_csv_row_is_moved_under_its_group():
    top = ["姓名", "UserId", "迟到次数", "请假", None, None]
    sub = ["事假(小时)", "病假(天)", "调休(小时)"]  # a CSV writes the second level from column A
    h = find_header([top, sub], ("姓名",), two_level=True)
    assert h.names == ("姓名", "UserId", "迟到次数", "请假/事假(小时)", "请假/病假(天)", "请假/调休(小时)")


def test_two_level_is_not_taken_when_the_next_row_is_data():
    rows = [["姓名", "UserId", "迟到次数"], ["张三", "u1", "2"]]
    h = find_header(rows, ("姓名",), two_level=True)
    assert h.row == 0 and h.names == ("姓名", "UserId", "迟到次数")


def test_single_level_names_with_a_slash_are_not_split():
    h = find_header([["工号", "日期/时间"]], ("工号",))
    assert "日期" not in h and "时间" not in h and h.columns["日期/时间"] == 1


def test_header_key_and_column_index():
    assert header_key(" 工 号\n") == "工号" and header_key(12) == "" and header_key(None) == ""
    assert column_index(["", "工号", "姓名", "工号"]) == {"工号": 1, "姓名": 2}
