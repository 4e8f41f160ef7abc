"""Builder for test4 report sources: figures computed here, written as YAML strings."""
import re, sys, subprocess
from pathlib import Path
import yaml

WT = Path("/work/wt/h10-test4b")
SET = WT / "eval/data/reports/test4"

def f(x, d=1):
    return f"{x:.{d}f}"

def npv(inv, ben, years, rate=0.08):
    return -inv + sum(ben / (1 + rate) ** t for t in range(1, years + 1))

def irr(inv, ben, years):
    lo, hi = -0.99, 5.0
    if ben * years <= inv:
        return None
    for _ in range(200):
        mid = (lo + hi) / 2
        if npv(inv, ben, years, mid) > 0: lo = mid
        else: hi = mid
    return mid

def econ_row(inv, ben, years=10, rate=0.08):
    """payback (a, 1 dp), NPV (万元, 1 dp), IRR (%, 1 dp)"""
    r = irr(inv, ben, years)
    return f(inv / ben), f(npv(inv, ben, years, rate)), (f(r * 100) if r is not None else "为负")

def cjk(text):
    return len(re.findall(r"[\u4e00-\u9fff]", text))

class Rep:
    def __init__(self, name, title, header, footer, cover, toc_title="目　录", toc_field=True,
                 text_formats=None):
        self.name, self.title, self.header, self.footer = name, title, header, footer
        self.cover, self.toc_title, self.toc_field = cover, toc_title, toc_field
        self.text_formats = text_formats
        self.body, self.ntables = [], 0
        self.bold = False
    def h(self, level, text, number=None):
        b = {f"h{level}": text}
        if number: b["number"] = number
        if self.bold: b["bold"] = "true"
        self.body.append(b)
    def h1(self, text, number=None): self.h(1, text, number)
    def h2(self, text, number=None): self.h(2, text, number)
    def p(self, text): self.body.append({"para": " ".join(text.split())})
    def t(self, caption, header, rows, *, unit=None, total=None, header_rows=None,
          continued=None, repeat=False, widths=None):
        tab = {"caption": caption}
        if header_rows: tab["header_rows"] = [[str(c) for c in r] for r in header_rows]
        else: tab["header"] = [str(c) for c in header]
        if widths: tab["widths"] = [str(w) for w in widths]
        if unit: tab["unit"] = unit
        if repeat: tab["repeat_header"] = "true"
        def cell(c):
            if isinstance(c, dict): return {k: str(v) for k, v in c.items()}
            return str(c)
        tab["rows"] = [({"group": r["group"]} if isinstance(r, dict) else [cell(c) for c in r])
                       for r in rows]
        if total: tab["total"] = {"label": total[0], "columns": [str(c) for c in total[1]]}
        if continued: tab["continued"] = {"at": str(continued[0]), "caption": continued[1]}
        self.body.append({"table": tab}); self.ntables += 1
    def counts(self):
        paras = sum(cjk(b["para"]) for b in self.body if "para" in b)
        total = paras
        for b in self.body:
            for k in ("h1", "h2", "h3"):
                if k in b: total += cjk(b[k]) + cjk(b.get("number", ""))
            if "table" in b:
                t = b["table"]; total += cjk(t["caption"])
                for r in t.get("header_rows") or [t["header"]]: total += sum(cjk(c) for c in r)
                for r in t["rows"]:
                    if isinstance(r, dict): total += cjk(r["group"]); continue
                    for c in r: total += cjk(c["text"] if isinstance(c, dict) else c)
        return paras, total
    def spec(self, pages):
        h1s = [b for b in self.body if "h1" in b]
        def ht(b): return f"{b['number']} {b['h1']}" if b.get("number") else b["h1"]
        s = {"fixture": self.name, "title": self.title, "running_header": self.header,
             "footer": self.footer, "cover": self.cover,
             "toc": {"title": self.toc_title,
                     "entries": [[ht(b), str(pages.get(ht(b), 1))] for b in h1s]}}
        if not self.toc_field: s["toc"]["field"] = "false"
        if self.text_formats: s["text_formats"] = self.text_formats
        s["body"] = self.body
        return s
    def write(self, comment):
        src = SET / "src" / f"{self.name}.yaml"; src.parent.mkdir(parents=True, exist_ok=True)
        pages = {}
        for attempt in range(4):
            text = f"# {comment}\n" + yaml.safe_dump(self.spec(pages), allow_unicode=True,
                                                     sort_keys=False, width=1000)
            src.write_text(text, encoding="utf-8")
            r = subprocess.run([str(WT / ".venv/bin/python"), "scripts/make_report_set.py",
                                "test4", self.name], cwd=WT, capture_output=True, text=True)
            if r.returncode == 0:
                break
            m = re.search(r"the chapters start on: (.*)\. Fix", r.stderr)
            if not m:
                sys.exit(r.stderr[-3000:])
            new = {}
            for part in m.group(1).split(", "):
                k, v = part.rsplit(" ", 1); new[k] = int(v)
            pages = new
        else:
            sys.exit("toc did not settle")
        paras, total = self.counts()
        print(self.name, "tables", self.ntables, "cjk paras/total", paras, total, r.stdout.strip().replace("\n", " "))
