"""A small Excel for the add-in's VBA, run in pyOpenVBA's interpreter (Excel itself is not available here).

The interpreter runs the modules exactly as the build stores them (``addin_vba.sources()``); this host
answers the names Excel, Windows and the xlwings DLL provide: Application (Caller, Calculation,
Calculate …), ActiveWorkbook, ThisWorkbook, Workbooks, worksheets whose cells hold values and formulas,
WScript.Shell (Popup, ExpandEnvironmentStrings, Run), Scripting.FileSystemObject over files kept in
memory, VBA's file functions the xlwings module uses (GetAttr, Kill, Environ), RunPython (when the
xlwings module is not loaded) and the xlwings COM server ``XLPy`` (CallUDF, Module, Call, Tuple), which
hands cell functions to the real ``xlwings.udfs.call_udf`` over tests/fake_excel.py's COM objects.

Excel's calculation is modelled as far as kaohe relies on it: a formula ``=NAME(A2)`` is worked out by
running the VBA function NAME with the cell A2 and Application.Caller set to the formula's cell; a cell
is recalculated when it is dirty (entered, an argument changed, or ``Range.Dirty``) and Calculate runs
(after each edit in automatic mode), never because something else in the workbook changed — the
functions are not volatile.

Two adaptations: pyOpenVBA's preprocessor cannot read a comment after a ``#`` directive (Excel can:
xlwings ships such lines), so those comments are cut off here; and pyOpenVBA refuses VBA's file
functions (they touch the real file system), so :class:`VBA` has the host answer GetAttr and
Environ and takes Kill as done.
"""
from __future__ import annotations

import re

import fake_excel as fx
from pyopenvba.interpreter import EMPTY, MISSING, NOTHING, HostBridge, Interpreter, VBAObject, member, method, setter
from pyopenvba.interpreter import _ast as ast
from pyopenvba.interpreter._runtime import UNRESOLVED
from pyopenvba.interpreter._values import VBAInt, error

CONSTANTS = {"xlcelltypeformulas": -4123, "xlcalculationautomatic": -4105, "xlcalculationmanual": -4135}
FORMULA = re.compile(r"^=(?:'[^']*'!)?(\w+)\(([A-Z]+[0-9]+)\)$")


class VBA(Interpreter):
    """pyOpenVBA's interpreter, VBA's file functions answered by the host."""

    def call_intrinsic(self, name, args, named):
        if name in ("getattr", "environ"):
            return self.host.call_global(name, [self._by_value(one) for one in args], named)
        return super().call_intrinsic(name, args, named)

    def _execute(self, statement, frame):
        if isinstance(statement, ast.Unsupported) and statement.text.lower().startswith("kill"):
            return None  # the xlwings module deletes its error log
        return super()._execute(statement, frame)


def loadable(source: str) -> str:
    return re.sub(r"^(\s*#[^'\n]*?)\s*'.*$", r"\1", source, flags=re.M)


def field(vba_name, attribute):
    """A read-only VBA property answering a Python attribute."""
    return member(name=vba_name)(lambda self: getattr(self, attribute))


def python_value(value):
    """A VBA value as it reaches Python through COM."""
    if value is EMPTY or value is NOTHING or value is MISSING:
        return None if value is not MISSING else fx.MISSING
    if isinstance(value, VBAInt):
        return int(value)
    return value


class Cell:
    def __init__(self, sheet, address, value=None, formula=""):
        self.sheet, self.address, self.value, self.formula = sheet, address, value, formula
        self.dirty = bool(formula)
        row = int(re.sub(r"[A-Z]", "", address))
        self.com = fx.ComRange(sheet.com, value, row=row)


class Range(VBAObject):
    vba_type_name = "Range"

    def __init__(self, sheet, cells):
        self.sheet, self.cells = sheet, cells

    @member(default=True)
    def Value(self):
        return EMPTY if self.cells[0].value is None else self.cells[0].value

    @setter("Value")
    def set_value(self, value):
        self.sheet.edit(self.cells[0].address, value)

    Formula = member(name="Formula")(lambda self: self.cells[0].formula or str(self.cells[0].value or ""))
    Address = member(name="Address")(lambda self: self.cells[0].address)
    Cells = member(name="Cells")(lambda self: self)

    @method
    def Dirty(self):
        for cell in self.cells:
            cell.dirty = bool(cell.formula)

    @method
    def SpecialCells(self, Type=MISSING, Value=MISSING):
        found = [c for c in self.cells if c.formula] if Type == CONSTANTS["xlcelltypeformulas"] else []
        if not found:
            raise error(1004, "No cells were found.")
        return Range(self.sheet, found)

    def vba_iterate(self):
        return iter([Range(self.sheet, [c]) for c in self.cells])


class Sheet(VBAObject):
    vba_type_name = "Worksheet"

    def __init__(self, book, name, com):
        self.book, self.name, self.com, self.cells = book, name, com, {}

    Name = field("Name", "name")
    Parent = field("Parent", "book")

    @setter("Name")
    def rename(self, value):
        self.name = str(value)
        object.__setattr__(self.com, "Name", self.name)

    @member
    def UsedRange(self):
        return Range(self, list(self.cells.values()))

    @member(name="Range")
    def range_(self, Cell1=MISSING, Cell2=MISSING):
        return Range(self, [self.cells.setdefault(Cell1, Cell(self, Cell1))])

    def put(self, address, value=None, formula=""):
        self.cells[address] = Cell(self, address, value, formula)

    def edit(self, address, value):
        """HR types a value: Excel marks the formulas reading that cell dirty and, in automatic mode,
        recalculates; then the SheetChange event (the host's ``on_change``)."""
        self.cells.setdefault(address, Cell(self, address)).value = value
        self.com.set(self.rows())
        for cell in self.book.all_cells():
            match = FORMULA.match(cell.formula)
            if match and match.group(2) == address and cell.sheet is self:
                cell.dirty = True
        self.book.excel.after_edit(self)

    def rows(self):
        """The sheet's values as COM gives UsedRange.Value: a tuple of row tuples from A1."""
        grid = {}
        for cell in self.cells.values():
            col, row = re.match(r"([A-Z]+)([0-9]+)", cell.address).groups()
            grid[(int(row), ord(col) - 64)] = cell.value
        height = max((r for r, _ in grid), default=1)
        width = max((c for _, c in grid), default=1)
        return tuple(tuple(grid.get((r, c)) for c in range(1, width + 1)) for r in range(1, height + 1))


class Sheets(VBAObject):
    vba_type_name = "Sheets"

    def __init__(self, book):
        self.book = book

    @member(default=True)
    def Item(self, Index=MISSING):
        for sheet in self.book.sheets:
            if sheet.name == Index:
                return sheet
        raise error(9)

    Count = member(name="Count")(lambda self: VBAInt(len(self.book.sheets), "Long"))

    def vba_iterate(self):
        return iter(list(self.book.sheets))


class Workbook(VBAObject):
    vba_type_name = "Workbook"

    def __init__(self, excel, fullname, sheets: dict, path=None):
        self.excel, self.fullname = excel, fullname
        self.name = fullname.replace("\\", "/").rsplit("/", 1)[-1]
        self.path = path if path is not None else fullname[:-len(self.name) - 1]
        self.saved = True
        self.com = fx.ComBook(fullname, {name: ((None,),) for name in sheets})
        self.sheets = []
        for name, cells in sheets.items():
            sheet = Sheet(self, name, self.com.Worksheets(name))
            for address, content in cells.items():
                if isinstance(content, str) and content.startswith("="):
                    sheet.put(address, formula=content)
                else:
                    sheet.put(address, content)
            sheet.com.set(sheet.rows())
            self.sheets.append(sheet)

    Name = field("Name", "name")
    FullName = field("FullName", "fullname")
    Path = field("Path", "path")
    Saved = field("Saved", "saved")
    Worksheets = member(name="Worksheets")(lambda self: Sheets(self))

    @setter("Saved")
    def set_saved(self, value):
        self.saved = bool(value)

    def sheet(self, name) -> Sheet:
        return next(s for s in self.sheets if s.name == name)

    def all_cells(self):
        return [c for s in self.sheets for c in s.cells.values()]


class Workbooks(VBAObject):
    vba_type_name = "Workbooks"

    def __init__(self, excel):
        self.excel = excel

    @member(default=True)
    def Item(self, Index=MISSING):
        for book in self.excel.books:
            if book.name == Index:
                return book
        raise error(9)

    @method
    def Open(self, Filename=MISSING):
        self.excel.opened.append(Filename)
        return NOTHING


class Application(VBAObject):
    vba_type_name = "Application"

    def __init__(self):
        self.caller, self.protected_view, self.options = Range(None, []), NOTHING, []
        self.calculation, self.calculations = CONSTANTS["xlcalculationautomatic"], 0
        self.excel = None

    Caller = field("Caller", "caller")
    ActiveProtectedViewWindow = field("ActiveProtectedViewWindow", "protected_view")
    Calculation = field("Calculation", "calculation")
    Hwnd = member(name="Hwnd")(lambda self: VBAInt(4242, "Long"))
    Path = member(name="Path")(lambda self: r"C:\Program Files\Microsoft Office\root\Office16")
    Name = member(name="Name")(lambda self: "Microsoft Excel")

    @setter("Calculation")
    def set_calculation(self, value):
        self.calculation = value

    @method
    def Calculate(self):
        self.calculations += 1
        self.excel.calculate()

    @method
    def Volatile(self, Volatile=MISSING):
        raise AssertionError("a kaohe function asked to be volatile")

    @method
    def MacroOptions(self, Macro=MISSING, Description=MISSING, HasMenu=MISSING, MenuText=MISSING,
                     HasShortcutKey=MISSING, ShortcutKey=MISSING, Category=MISSING, StatusBar=MISSING,
                     HelpContextID=MISSING, HelpFile=MISSING, ArgumentDescriptions=MISSING):
        args = [] if ArgumentDescriptions is MISSING else list(ArgumentDescriptions.items)
        self.options.append({"Macro": Macro, "Description": Description, "Category": Category, "Args": args})


class Control(VBAObject):
    vba_type_name = "IRibbonControl"

    def __init__(self, control_id):
        self.control_id = control_id

    Id = field("Id", "control_id")


class Shell(VBAObject):
    """WScript.Shell: Unicode message boxes, environment strings, programs started (recorded, answered)."""

    vba_type_name = "IWshShell3"

    def __init__(self, excel):
        self.excel = excel

    @method
    def Popup(self, Text=MISSING, SecondsToWait=MISSING, Title=MISSING, Type=MISSING):
        self.excel.popups.append((str(Text), str(Title), int(Type)))
        return VBAInt(1, "Integer")

    @method
    def ExpandEnvironmentStrings(self, Src=MISSING):
        return re.sub(r"%(\w+)%", lambda m: self.excel.env.get(m.group(1).upper(), m.group(0)), str(Src))

    @method
    def Run(self, Command=MISSING, WindowStyle=MISSING, WaitOnReturn=MISSING):
        self.excel.commands.append(str(Command))
        return VBAInt(self.excel.on_run(str(Command)), "Long")


class TextStream(VBAObject):
    def __init__(self, text):
        self.lines, self.at = text.splitlines(), 0

    AtEndOfStream = member(name="AtEndOfStream")(lambda self: self.at >= len(self.lines))

    @method
    def ReadLine(self):
        self.at += 1
        return self.lines[self.at - 1]

    @method
    def Close(self):
        pass


class Files(VBAObject):
    """Scripting.FileSystemObject over the host's files (Windows path -> bytes)."""

    vba_type_name = "FileSystemObject"

    def __init__(self, excel):
        self.excel = excel

    @method
    def FileExists(self, FileSpec=MISSING):
        return str(FileSpec) in self.excel.files

    @method
    def OpenTextFile(self, FileName=MISSING, IOMode=MISSING, Create=MISSING, Format=MISSING):
        data = self.excel.files[str(FileName)]
        return TextStream(data.decode("utf-16") if Format == -1 else data.decode("cp1252", "replace"))


class PyObject(VBAObject):
    def __init__(self, value):
        self.value = value


class XLPy(VBAObject):
    """The xlwings COM server: CallUDF to the real xlwings dispatch; Module, Call and Tuple as xlwings' XLPython."""

    def __init__(self, excel):
        self.excel, self.calls = excel, []

    @method
    def CallUDF(self, script=MISSING, fname=MISSING, args=MISSING, this_workbook=MISSING, caller=MISSING):
        values = tuple(python_value(v) for v in args.items)
        self.calls.append((script, fname, values, this_workbook, caller))
        if self.excel.call_udf is None:
            return "result"
        res = self.excel.call_udf(script, fname, values, this_workbook.com, caller.cells[0].com)
        return res[0][0] if len(res) == 1 and len(res[0]) == 1 else res

    @method
    def Module(self, module=MISSING):
        import importlib

        return PyObject(importlib.import_module(str(module)))

    @method
    def Tuple(self, *elements):
        return PyObject(tuple(python_value(e) for e in elements))

    @method
    def Call(self, *args):
        target, name, pargs = args[0].value, None, ()
        for arg in args[1:]:
            if isinstance(arg, PyObject):
                pargs = arg.value
            else:
                name = str(arg)
        self.excel.python_calls.append((name, pargs))
        return PyObject(getattr(target, name)(*pargs) if name else target(*pargs))


class Excel(HostBridge):
    """The host: one Excel, its workbooks, the user's files and environment, the programs started."""

    def __init__(self, call_udf=None, env=None, files=None):
        self.app, self.xlpy, self.call_udf = Application(), XLPy(self), call_udf
        self.app.excel = self
        self.env = env or {"USERPROFILE": r"C:\Users\hr", "TEMP": r"C:\Users\hr\AppData\Local\Temp"}
        self.files = files if files is not None else {}
        self.existing = set()  # paths GetAttr finds
        self.popups, self.commands, self.opened, self.python_calls, self.run_python = [], [], [], [], []
        self.books = [Workbook(self, r"C:\hr\考勤.xlsx", {"打卡记录": {}})]
        self.active = self.books[0]
        self.this = Workbook(self, r"C:\Users\hr\AppData\Roaming\Microsoft\Excel\XLSTART\kaohe.xlam", {})
        self.on_run = lambda command: 0
        self.on_change = lambda sheet: None
        self.vba = VBA(self)

    def load(self, sources, *names):
        for name in names:
            self.vba.add_module(loadable(sources[name]), name=name)
        return self.vba

    def global_object(self, name):
        found = {"application": self.app, "activeworkbook": self.active, "thisworkbook": self.this,
                 "xlpy": self.xlpy, "workbooks": Workbooks(self)}
        return found.get(name.lower(), UNRESOLVED)

    def constant(self, name):
        return CONSTANTS.get(name.lower(), UNRESOLVED)

    def create(self, type_name_):
        made = {"wscript.shell": lambda: Shell(self), "scripting.filesystemobject": lambda: Files(self)}
        return made[type_name_.lower()]() if type_name_.lower() in made else UNRESOLVED

    def has_global_member(self, name):
        return name.lower() in ("runpython", "getattr", "kill", "environ")

    def call_global(self, name, args, named):
        name = name.lower()
        if name == "runpython":
            self.run_python.append(args[0])
            return 0
        if name == "getattr":
            if str(args[0]) not in self.existing:
                raise error(53, "File not found")
            return VBAInt(32, "Integer")
        if name == "environ":  # VBA's Environ answers in the non-Unicode code page (here 1252)
            return self.env.get(str(args[0]).upper(), "").encode("cp1252", "replace").decode("cp1252")
        return 0  # Kill

    # --- calculation -----------------------------------------------------------------------

    def after_edit(self, sheet):
        if self.app.calculation == CONSTANTS["xlcalculationautomatic"]:
            self.calculate()
        self.on_change(sheet)

    def calculate(self):
        """Work out every dirty formula (what Calculate and, in automatic mode, each edit do)."""
        for book in self.books:
            for cell in [c for c in book.all_cells() if c.dirty]:
                name, ref = FORMULA.match(cell.formula).groups()
                argument = Range(cell.sheet, [cell.sheet.cells.setdefault(ref, Cell(cell.sheet, ref))])
                self.app.caller = Range(cell.sheet, [cell])
                cell.value, cell.dirty = self.vba.run(name, [argument]), False
