"""The people list at an event's scale (filters, name search, paging), the filters' counts, and
hiding many people at once. Paging keeps the list a plain JSON array (as before, for existing
clients): `limit`/`offset` pick a page, `X-Total-Count` and an RFC 8288 `Link` header tell the rest."""
from urllib.parse import urlencode

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from core.fields import IdField
from core.schema import errors
from events.api import EventApi
from recognition import api_examples as ex
from recognition import selectors
from recognition.apis import PersonOutputSerializer
from recognition.undo_apis import UNDO_SCHEMA, undo_payload, undo_scope_field
from recognition.services.curation import people_set_hidden

PAGE_MAX = 500
_FILTER_HELP = ("`main`: named or in 2+ photos, not hidden (the People page's default); `few`: the rest of the "
                "visible people (unnamed, in one photo or none); `named`; `unnamed`; `hidden`; `all` (default here).")
_COUNTS = inline_serializer("PeopleFilterCounts", {name: serializers.IntegerField() for name in selectors.PEOPLE_FILTERS})


class PeopleQuerySerializer(serializers.Serializer):
    class Meta:
        ref_name = "PeopleListQuery"

    filter = serializers.ChoiceField(choices=list(selectors.PEOPLE_FILTERS), default="all", help_text=_FILTER_HELP)
    q = serializers.CharField(required=False, allow_blank=True, default="", max_length=100,
                              help_text="Part of a name, case-insensitive; `12` or `person 12` finds Person 12.")
    ids = serializers.RegexField(r"^\d{1,12}(,\d{1,12}){0,199}$", required=False,
                                 help_text="Only these people: comma-separated ids (at most 200).")
    limit = serializers.IntegerField(required=False, min_value=1, max_value=PAGE_MAX,
                                     help_text=f"Page size (1–{PAGE_MAX}); without it, every match is listed.")
    offset = serializers.IntegerField(required=False, min_value=0, default=0, help_text="Matches to skip.")


def _link(request, offset: int, rel: str) -> str:
    params = {key: value for key, value in request.query_params.items()}
    params["offset"] = offset
    return f'<{request.build_absolute_uri(request.path)}?{urlencode(params)}>; rel="{rel}"'


class PersonListApi(EventApi):
    @extend_schema(
        operation_id="people_list", summary="List an event's people", parameters=[
            PeopleQuerySerializer,
            OpenApiParameter("X-Total-Count", OpenApiTypes.INT, OpenApiParameter.HEADER, response=[200],
                             description="People matching `filter`, `q` and `ids`, over all pages."),
            OpenApiParameter("Link", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200],
                             description="With `limit`: the next and previous pages (`rel=\"next\"`, `rel=\"prev\"`).")],
        responses=PersonOutputSerializer(many=True), examples=[*ex.PERSON_LIST, *ex.PERSON_LIST_PAGE],
        description="The event's people, most photographed first, with the ids of the photos they are in. "
                    "Narrow with `filter` and `q`; page with `limit` and `offset` (the count is in `X-Total-Count`). "
                    "A page of 60 at 2,000 people is answered in three queries.")
    def get(self, request, event_id: int):
        query = PeopleQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        ids = [int(i) for i in data["ids"].split(",")] if data.get("ids") else None
        people = selectors.person_search(event=self.event, show=data["filter"], q=data["q"], ids=ids)
        total = people.count() if "limit" in data else None
        if "limit" in data:
            people = people[data["offset"]:data["offset"] + data["limit"]]
        elif data["offset"]:
            people = people[data["offset"]:]
        people = list(people)
        context = {"photo_ids": selectors.people_photo_ids(event=self.event, person_ids=[p.id for p in people])}
        response = Response(PersonOutputSerializer(people, many=True, context=context).data)
        total = total if total is not None else data["offset"] + len(people)
        response["X-Total-Count"] = str(total)
        if "limit" in data:
            links = []
            if data["offset"] + data["limit"] < total:
                links.append(_link(request, data["offset"] + data["limit"], "next"))
            if data["offset"] > 0:
                links.append(_link(request, max(0, data["offset"] - data["limit"]), "prev"))
            if links:
                response["Link"] = ", ".join(links)
        return response


class PeopleCountsApi(EventApi):
    @extend_schema(operation_id="people_counts", summary="Count an event's people per filter", responses=_COUNTS,
                   examples=[OpenApiExample("A wedding", response_only=True, value={
                       "main": 212, "few": 1730, "named": 20, "unnamed": 1958, "hidden": 36, "all": 1978})],
                   description="How many people each `filter` of the people list shows (one query): the People "
                               "page's tabs and its \"and 1,730 more seen once\" link.")
    def get(self, request, event_id: int):
        return Response(selectors.people_filter_counts(event=self.event))


class PeopleHideApi(EventApi):
    required = "curate"

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PeopleHideInput"

        person_ids = serializers.ListField(child=IdField(), allow_empty=False, max_length=PAGE_MAX)
        hidden = serializers.BooleanField(default=True, help_text="False shows them to guests again.")
        scope = undo_scope_field()

    @extend_schema(operation_id="people_hide", summary="Hide (or show) many people at once", request=InputSerializer,
                   responses={200: inline_serializer("PeopleHidden", {
                       "person_ids": serializers.ListField(child=serializers.IntegerField()),
                       "hidden": serializers.BooleanField(), "undo": UNDO_SCHEMA}), **errors(404)},
                   examples=[OpenApiExample("Hide three people", request_only=True,
                                            value={"person_ids": [412, 415, 430], "hidden": True, "scope": "people"}),
                             OpenApiExample("Hidden", response_only=True, value={
                                 "person_ids": [412, 415, 430], "hidden": True,
                                 "undo": {"action_id": 91, "label": "hid 3 people from guests"}})],
                   description="One change for all of them: hidden people never reach guests, and "
                               "`POST …/people/undo/` `{action_id}` takes it back in one step. 404 if any id "
                               "is not a person of this event (nothing changes).")
    def post(self, request, event_id: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        action = people_set_hidden(event=self.event, person_ids=data.validated_data["person_ids"],
                                   hidden=data.validated_data["hidden"], user=request.user,
                                   scope=data.validated_data["scope"])
        return Response({"person_ids": sorted(set(data.validated_data["person_ids"])),
                         "hidden": data.validated_data["hidden"], "undo": undo_payload(action)})
