"""The package's layering: no import cycle anywhere in kaohe (imports inside functions count too), an engine
that knows no workbook, and modules of a readable size."""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "addin" / "kaohe"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(node: ast.AST, name: str, is_package: bool) -> set[str]:
    """The modules one import statement names, relative ones resolved against ``name``."""
    if isinstance(node, ast.Import):
        return {a.name for a in node.names}
    if not isinstance(node, ast.ImportFrom):
        return set()
    base = node.module or ""
    if node.level:  # from . import x, from ..engine import y: relative to this module's package
        package = name.split(".") if is_package else name.split(".")[:-1]
        package = package[:len(package) - (node.level - 1)]
        base = ".".join(package + ([node.module] if node.module else []))
    return {base} | {f"{base}.{a.name}" for a in node.names}


def import_graph() -> dict[str, set[str]]:
    """Module -> the kaohe modules it imports, at the top or inside a function, absolute or relative."""
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in paths.items():
        out: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            out |= imported(node, name, path.name == "__init__.py")
        graph[name] = {m for m in out if m in paths and m != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, found, counter = {}, {}, [], [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while group[-1:] != [v]:
                group.append(stack.pop())
            if len(group) > 1:
                found.append(sorted(group))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_the_graph_sees_imports_inside_functions_and_relative_ones():
    graph = import_graph()
    assert "kaohe.jobs.slips" in graph["kaohe.doors.cli"]  # imported inside a function
    assert "kaohe.workbook.lock" in graph["kaohe.workbook.saving"]
    rel = ast.parse("from .lock import temp_file\nfrom ..engine import month\nfrom . import parts")
    found = set().union(*(imported(n, "kaohe.workbook.saving", False) for n in rel.body))
    assert {"kaohe.workbook.lock", "kaohe.engine.month", "kaohe.workbook.parts"} <= found
    assert imported(ast.parse("from . import x").body[0], "kaohe.jobs", True) == {"kaohe.jobs", "kaohe.jobs.x"}
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_in_the_package():
    assert cycles(import_graph()) == []


# The rooms, bottom to top. A module may import its own room and the rooms listed for it, nothing else:
# the vocabularies import only each other; the rules (policy, engine) know no workbook; the workbook layer
# knows no rule; importers turn outside files into tables; jobs string it all together; doors translate and
# import jobs, never the workbook layer.
BASE = ("kaohe", "kaohe.terms", "kaohe.values", "kaohe.findings", "kaohe.tables", "kaohe.periods",
        "kaohe.headers", "kaohe.calendar")
ROOMS = {"base": BASE, "policy": ("kaohe.policy",), "engine": ("kaohe.engine",), "workbook": ("kaohe.workbook",),
         "imports": ("kaohe.imports",), "jobs": ("kaohe.jobs",), "doors": ("kaohe.doors",)}
MAY_IMPORT = {
    "base": {"base"},
    "policy": {"base"},
    "engine": {"base", "policy"},
    "workbook": {"base"},
    "imports": {"base", "workbook", "engine", "policy"},
    "jobs": {"base", "policy", "engine", "workbook", "imports"},
    "doors": {"base", "policy", "engine", "jobs"},
}


def room(module: str) -> str:
    for name, prefixes in ROOMS.items():
        if name != "base" and any(module == p or module.startswith(p + ".") for p in prefixes):
            return name
    assert module in BASE, f"{module} is in no room: add it to ROOMS"
    return "base"


def wrong_way(graph: dict[str, set[str]]) -> dict[str, list[str]]:
    return {m: sorted(w for w in graph[m] if room(w) != room(m) and room(w) not in MAY_IMPORT[room(m)])
            for m in graph if any(room(w) != room(m) and room(w) not in MAY_IMPORT[room(m)] for w in graph[m])}


def test_every_module_is_in_a_room_and_imports_only_the_rooms_below_it():
    assert wrong_way(import_graph()) == {}


def test_wrong_way_sees_an_arrow_running_upward():
    assert wrong_way({"kaohe.workbook.grid": {"kaohe.engine.month"}, "kaohe.engine.month": set()}) == {
        "kaohe.workbook.grid": ["kaohe.engine.month"]}
    assert wrong_way({"kaohe.doors.ribbon": {"kaohe.workbook.read"}, "kaohe.workbook.read": set()}) == {
        "kaohe.doors.ribbon": ["kaohe.workbook.read"]}


# The engine and the policy are the rules; kaohe.workbook is one of the doors. The engine gets tables
# that carry their own place (sheet, column letters) and spells no sheet name (kaohe.tables).
RULE_LAYER = ("kaohe.engine", "kaohe.policy")


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    """Every module importing ``start`` loads: what it imports, transitively, and their parent packages."""
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        parents = [".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)]
        for m in graph.get(name, set()) | {p for p in parents if p in graph}:
            if m not in seen:
                seen.add(m)
                todo.append(m)
    return seen


def test_reachable_follows_imports_and_parent_packages():
    graph = {"k": set(), "k.a": {"k.b"}, "k.b": set(), "k.w": set(), "k.w.x": set(), "k.c": {"k.w.x"}}
    assert reachable(graph, "k.a") == {"k", "k.b"}
    assert reachable(graph, "k.c") == {"k", "k.w", "k.w.x"}


def test_the_engine_and_the_policy_import_nothing_of_the_workbook_layer():
    graph = import_graph()
    rules = [m for m in graph if m.startswith(RULE_LAYER)]
    assert "kaohe.engine.month" in rules and "kaohe.policy" in rules
    leaks = {m: sorted(w for w in reachable(graph, m) if w.startswith("kaohe.workbook")) for m in rules}
    assert {m: w for m, w in leaks.items() if w} == {}


# Size: the guides are 400 lines a module and 40 a function. Past them, code is split along its seams
# (named steps), or listed here with why it may not be yet; an entry goes as soon as it is under the guide.
MAX_LINES = 400
LONG_MODULES: dict[str, str] = {}  # none at present
MAX_FUNCTION_LINES = 40
LONG_FUNCTIONS: dict[str, str] = {}  # "module.py:function" -> why; none at present


def module_lines() -> dict[str, int]:
    return {p.relative_to(PACKAGE).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
            for p in PACKAGE.rglob("*.py")}


def test_no_module_over_400_lines_but_the_listed_ones():
    lines = module_lines()
    long = {path: n for path, n in lines.items() if n > MAX_LINES}
    assert {path: n for path, n in long.items() if path not in LONG_MODULES} == {}
    assert set(LONG_MODULES) <= set(lines)  # the list names modules that exist


def long_functions() -> dict[str, int]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    out[f"{path.relative_to(PACKAGE).as_posix()}:{node.name}"] = n
    return out


def test_no_function_over_40_lines_but_the_listed_ones():
    assert {f: n for f, n in long_functions().items() if f not in LONG_FUNCTIONS} == {}
    assert not [f for f in LONG_FUNCTIONS if f not in long_functions()]  # an entry goes when its function is short


# Findings: every one has a code (area.what), and code picks findings by that code — never by their text, their
# sheet or the prefix of their rule. One convention: a function that finds problems returns them.
FINDING_AREAS = {"roster", "punches", "imported", "leave", "overtime", "exceptions", "proxy", "rota", "holidays",
                 "rules", "read", "workbook", "import", "reconcile", "kpi", "review", "leave_types"}


def finding_calls() -> list[tuple[str, int, str | None]]:
    """(module, line, code or None) of every Finding(...) in the package; an f-string code gives its literal head."""
    out = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Finding":
                code = next((k.value for k in node.keywords if k.arg == "code"), None)
                if isinstance(code, ast.Constant):
                    text = code.value
                elif isinstance(code, ast.JoinedStr):
                    text = "".join(v.value for v in code.values if isinstance(v, ast.Constant)) or "{role}"
                elif code is not None:
                    text = "{name}"  # a constant of kaohe.findings
                else:
                    text = None
                out.append((path.relative_to(PACKAGE).as_posix(), node.lineno, text))
    return out


def test_every_finding_has_a_code_of_a_known_area():
    calls = finding_calls()
    assert len(calls) > 80
    assert [(m, n) for m, n, code in calls if code is None] == []
    named = {code.split(".")[0] for _, _, code in calls if code and not code.startswith(("{", "."))}
    assert named <= FINDING_AREAS, named - FINDING_AREAS


def test_jobs_and_doors_pick_findings_by_code_never_by_sheet_text_or_rule():
    picked_by_text = []
    for path in list((PACKAGE / "jobs").rglob("*.py")) + list((PACKAGE / "doors").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for pattern in ("f.sheet ==", "f.sheet in", "f.rule.startswith(", "in f.problem", "in f.action"):
            if pattern in text:
                picked_by_text.append((path.name, pattern))
    assert picked_by_text == []


def test_no_function_takes_a_list_of_findings_to_append_to():
    appenders = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any(a.arg == "findings" for a in node.args.args):
                body = ast.unparse(node)
                if "findings.append(" in body or "findings += " in body or "findings.extend(" in body:
                    appenders.append(f"{path.name}:{node.name}")
    assert appenders == []


def test_the_engine_types_no_article_beside_a_rule():
    """A rule's article is the catalog's (kaohe.policy.catalog.cite / article) or its 规则 parameter's: the engine
    writes rule IDs only (a law it cites, such as 劳动法第四十一条, is no article of the company's regulation)."""
    import re

    typed = []
    for path in (PACKAGE / "engine").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and re.fullmatch(r"第[一二三四五六七八九十]+条([、/].*)?", node.value):
                typed.append((path.name, node.lineno, node.value))
    assert typed == []
