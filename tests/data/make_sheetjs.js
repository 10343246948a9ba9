// Builds tests/data/sheetjs_celldates.xlsx with SheetJS (npm package xlsx 0.18.5), as a Node script of HR's IT
// writes a workbook: JavaScript Date cells written with cellDates, i.e. cells of type "d" holding ISO 8601 text.
// The data are those of tests/test_producers.py (PEOPLE, november_punches): keep the two in step.
// Run from the repository root: npm install --no-save xlsx@0.18.5 && node tests/data/make_sheetjs.js
const XLSX = require("xlsx");

const people = [["1001", "张三"], ["1002", "李四"], ["1003", "王五"]];
const roster = [["工号", "姓名", "部门", "入职日期", "岗位基本工资"]];
for (const [id, name] of people) roster.push([id, name, "客服部", new Date(2020, 0, 1), 4350]);

const punches = [["工号", "打卡时间"]];
for (const [id] of people) {
  for (let day = 1; day <= 30; day++) {
    const date = new Date(2026, 10, day);
    if (date.getDay() === 0) continue; // the company rests on Sunday
    if (id === "1002" && day === 3) continue; // absent the whole day
    const times = [[8, 25], [12, 1], [13, 25], [17, 31]];
    if (id === "1001" && day === 2) times[0] = [8, 41]; // 11 minutes late
    for (const [h, m] of times) punches.push([id, new Date(2026, 10, day, h, m)]);
  }
}

const wb = XLSX.utils.book_new();
XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(roster, { cellDates: true }), "员工名册");
XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(punches, { cellDates: true }), "打卡记录");
XLSX.writeFile(wb, __dirname + "/sheetjs_celldates.xlsx", { cellDates: true });
