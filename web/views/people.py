"""People pages: the grid (filters, name search, pages; rename, hide, merge in bulk, undo) and one
person (split, reject, album). The grid is rendered here, a page at a time, so a 2,000-person event
costs what a 60-person one does: three queries for the people (counts, total, page)."""
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from recognition.selectors import PEOPLE_FILTERS, people_filter_counts, person_get, person_search
from recognition.services.undo import curation_undoable
from web.selectors import person_faces
from web.views.common import event_page, event_tabs, permissions


_CURATORS_ONLY = "Only the studio curates people."
PAGE_SIZE = 60
DEFAULT_FILTER = "main"
# The tabs, in order, with the words a photographer reads (PEOPLE_FILTERS says what each holds). A tab
# counts its whole view, so it opens that view without the search.
FILTER_TABS = [("main", "Main"), ("few", "Seen once"), ("named", "Named"), ("unnamed", "Unnamed"),
               ("hidden", "Hidden"), ("all", "All")]


def _query(show: str, q: str, page: int | None = None) -> str:
    params = {"filter": show} if show != DEFAULT_FILTER else {}
    params.update({"q": q} if q else {})
    params.update({"page": page} if page and page > 1 else {})
    return f"?{urlencode(params)}" if params else "?"


@event_page("curate", _CURATORS_ONLY)
def people(request, access):
    show = request.GET.get("filter", DEFAULT_FILTER)
    show = show if show in PEOPLE_FILTERS else DEFAULT_FILTER
    q = request.GET.get("q", "").strip()[:100]
    counts = people_filter_counts(event=access.event)
    paginator = Paginator(person_search(event=access.event, show=show, q=q), PAGE_SIZE)
    if not q:
        paginator.count = counts[show]  # already counted: spares the same aggregate a second time
    page = paginator.get_page(request.GET.get("page"))
    person_url = reverse("web:person-detail", args=[access.event.id, 0]).removesuffix("0/")
    for person in page.object_list:  # one reverse() a page, not two per card
        person.page_url = f"{person_url}{person.id}/"
    return render(request, "web/people.html", {
        "event": access.event, "access": access, "can": permissions(access), "tabs": event_tabs(access, "people"),
        "page": page, "show": show, "q": q, "counts": counts,
        "filters": [{"key": key, "label": label, "count": counts[key], "href": _query(key, ""),
                     "current": key == show} for key, label in FILTER_TABS],
        "previous_href": _query(show, q, page.previous_page_number()) if page.has_previous() else None,
        "next_href": _query(show, q, page.next_page_number()) if page.has_next() else None,
        "few_href": _query("few", ""), "clear_href": _query(show, ""),
        "undoable": curation_undoable(event=access.event, scope="people"),
    })


@event_page("curate", _CURATORS_ONLY)
def person_detail(request, access, person_id: int):
    person = person_get(event=access.event, person_id=person_id)
    return render(request, "web/person.html", {
        "event": access.event, "access": access, "can": permissions(access), "tabs": event_tabs(access, "people"),
        "person": person, "faces": person_faces(event=access.event, person_id=person.id),
        "undo_scope": f"person:{person.id}", "undoable": curation_undoable(event=access.event, scope=f"person:{person.id}"),
    })
