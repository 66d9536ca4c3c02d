"""Drive a Django admin form like a browser does: GET the page, take every field's current
value from its HTML (inputs, selects, textareas, the inlines' management forms), change some,
POST it back. The admin's own forms, widgets and save path run, nothing is mocked."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self.in_form = False
        self.select: str | None = None
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post":
            self.in_form = True
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self.select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self.select and "selected" in a:
            self.data[self.select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.data[self.textarea] = [self.text.lstrip("\n")]
            self.textarea = None
        elif tag == "form":
            self.in_form = False

    def handle_data(self, data):
        if self.textarea:
            self.text += data


def form_data(client, url: str) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    parser = _FormFields()
    parser.feed(response.content.decode())
    return {name: values for name, values in parser.data.items() if name != "csrfmiddlewaretoken"}


def submit(client, url: str, changes: dict | None = None):
    """POST the form at `url` with `changes` applied (a value, a list, or None to drop a field)."""
    data = form_data(client, url)
    for name, value in (changes or {}).items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value if isinstance(value, list) else [str(value)]
    data["_save"] = ["Save"]
    return client.post(url, data)
