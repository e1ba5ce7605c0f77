"""The layout by responsibility (issue 17 §6): no import cycles, every data file installed, the map up to date."""
from __future__ import annotations

import ast
import configparser
import fnmatch
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent


def packages() -> dict[str, Path]:
    """Installed package → its folder, as setup.cfg maps them."""
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    return {name.strip(): ROOT / folder.strip() for name, folder in
            (line.split("=") for line in cfg["options"]["package_dir"].strip().splitlines())}


def modules() -> dict[str, Path]:
    found = {}
    for name, folder in packages().items():
        for path in folder.glob("*.py"):
            found[name if path.stem == "__init__" else f"{name}.{path.stem}"] = path
    return found


def imports_of(module: str, path: Path, known) -> set[str]:
    """Every project module ``module`` imports, at load or inside a function (``from . import x`` too)."""
    package = module if path.stem == "__init__" else module.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[:len(parts) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            names = [base] + [f"{base}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        out |= {n for n in names if n in known and n != module}
    return out


def import_graph() -> nx.DiGraph:
    known = modules()
    g = nx.DiGraph()
    g.add_nodes_from(known)
    for module, path in known.items():
        g.add_edges_from((module, target) for target in imports_of(module, path, known))
    return g


def test_the_import_graph_sees_the_project():
    g = import_graph()
    assert g.has_edge("tttt_kg.graph.build", "tttt_kg.graph.builder")
    assert g.has_edge("tttt_kg.graph.stores.store", "tttt_kg.graph.stores.oxistore")   # an import inside a function
    assert g.number_of_nodes() > 100


def test_no_module_imports_one_that_imports_it_back():
    cycles = list(nx.simple_cycles(import_graph()))
    assert cycles == [], f"import cycles: {cycles[:5]}"


def test_a_cycle_would_be_seen(tmp_path):
    """The check finds a cycle made through a function-level, relative import."""
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text("from .b import x\n")
    b.write_text("def f():\n    from . import a\n")
    known = {"p.a": a, "p.b": b}
    g = nx.DiGraph()
    for module, path in known.items():
        g.add_edges_from((module, t) for t in imports_of(module, path, known))
    assert [sorted(c) for c in nx.simple_cycles(g)] == [["p.a", "p.b"]]   # networkx may start it at either module


def test_every_data_file_of_a_package_is_installed():
    """A file in a package folder that is not Python must be in setup.cfg's package_data, or a
    non-editable install runs without it (shell scripts are the repository's, run from a clone)."""
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    data = cfg["options.package_data"]
    missing = []
    for name, folder in packages().items():
        patterns = [p.strip() for p in data.get(name, "").split(",") if p.strip()]
        sub_packages = [f for n, f in packages().items() if n.startswith(name + ".")]
        for path in folder.rglob("*"):
            if (not path.is_file() or path.suffix in {".py", ".pyc", ".sh"} or "__pycache__" in path.parts
                    or any(path.is_relative_to(s) for s in sub_packages)):
                continue
            relative = path.relative_to(folder).as_posix()
            if not any(fnmatch.fnmatchcase(relative, p) and relative.count("/") == p.count("/") for p in patterns):
                missing.append(f"{name}: {relative}")
    assert missing == []


def test_the_map_in_the_docs_names_every_module_of_graph():
    text = (ROOT / "docs" / "layout.md").read_text(encoding="utf-8")
    graph = ROOT / "graph"
    unnamed = []
    for path in sorted(graph.rglob("*.py")):
        if path.stem == "__init__" or "extract" in path.relative_to(graph).parts:
            continue
        relative = path.relative_to(graph).as_posix()
        if f"`graph/{relative}`" not in text and f"`{path.name}`" not in text:
            unnamed.append(relative)
    assert unnamed == []
