"""Schemathesis hooks of the contract test (`tests/tests/e2e/contract.rs`).

They add no rule of their own: what JSON Schema in OpenAPI 3.0 cannot say, `edge/openapi.yaml`
states in extensions, and these hooks make the run honour exactly that —
- `x-propertyNames` (the schema of a map's keys) becomes draft 4 `patternProperties` (the
  version of JSON Schema that OpenAPI 3.0 uses has no `propertyNames`), and valid cases whose
  keys break a length the pattern does not carry are not sent as valid;
- `x-date-range` (an operation's `from`/`to` relation) keeps valid cases inside it;
- a generated `PATCH` that takes the test's origin off the site (or throttles it, or turns the
  contact setting off) is followed by one that restores them, so later phases still reach the
  ingest route with every answer the document calls valid;
- `format: ndjson` strings (the import body) are NDJSON of the document's `ImportRecord`s and
  `ImportDisplay`s, and `application/x-ndjson` bodies go on the wire as that text.
"""

import datetime
import json
import os
import time

import requests

import schemathesis
from hypothesis import strategies as st

_records = {}
_displays = {}
_schemas = {}


def _resolve(schema):
    while isinstance(schema, dict) and "$ref" in schema:
        schema = _schemas[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _key_patterns(node):
    if isinstance(node, dict):
        names = node.get("x-propertyNames")
        if names is not None:
            values = node.get("additionalProperties", {})
            node["patternProperties"] = {_resolve(names)["pattern"]: values}
            node["additionalProperties"] = False
        for value in list(node.values()):
            _key_patterns(value)
    elif isinstance(node, list):
        for value in node:
            _key_patterns(value)


@schemathesis.hook
def before_load_schema(context, raw_schema):
    import copy

    schemas = raw_schema["components"]["schemas"]
    _schemas.update(copy.deepcopy(schemas))
    _key_patterns(raw_schema)
    display = schemas["ImportDisplay"]["properties"]
    _displays["events"] = display["event"]["enum"]
    _displays["kinds"] = _resolve(display["kind"])["enum"]
    for variant in schemas["ImportRecord"]["oneOf"]:
        name = variant["$ref"].rsplit("/", 1)[1]
        properties = schemas[name]["properties"]
        (kind,) = properties["kind"]["enum"]
        _records[kind] = (properties["score"]["minimum"], properties["score"]["maximum"])


def _day(value):
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _keys_fit(value, schema):
    """Whether every map key in `value` has the length its `x-propertyNames` allows."""
    schema = _resolve(schema)
    if not isinstance(schema, dict):
        return True
    if "oneOf" in schema:
        return any(_keys_fit(value, variant) for variant in schema["oneOf"])
    if isinstance(value, dict):
        names = _resolve(schema.get("x-propertyNames"))
        if names is not None:
            low, high = names.get("minLength", 0), names.get("maxLength", float("inf"))
            if not all(low <= len(key) <= high for key in value):
                return False
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            sub = properties.get(key, extra if isinstance(extra, dict) else None)
            if sub is not None and not _keys_fit(item, sub):
                return False
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        return all(_keys_fit(item, schema["items"]) for item in value)
    return True


def _body_schema(operation, media_type):
    body = operation.definition.raw.get("requestBody", {})
    return body.get("content", {}).get(media_type or "", {}).get("schema")


@schemathesis.hook
def filter_case(context, case):
    meta = case.meta
    if meta is not None and not meta.generation.mode.is_positive:
        return True
    schema = _body_schema(case.operation, case.media_type)
    if schema is not None and not _keys_fit(case.body, schema):
        return False
    return _dates_fit(case.operation.definition.raw.get("x-date-range"), case.query)


def _dates_fit(rule, query):
    if rule is None or not query:
        return True
    start, end = _day(query.get("from")), _day(query.get("to"))
    if (query.get("from") is not None and start is None) or (query.get("to") is not None and end is None):
        return True  # not a date: a single-parameter rule, already in the schema
    default_days = rule.get("default-days")
    if default_days is not None:
        end = end or datetime.datetime.now(datetime.timezone.utc).date()
        start = start or end - datetime.timedelta(days=default_days - 1)
    if start is None or end is None:
        return True
    if start > end:
        return False
    max_days = rule.get("max-days")
    return max_days is None or (end - start).days + 1 <= max_days


def _line(kind, score, ident, day):
    return json.dumps(
        {
            "id": str(ident),
            "received_at": f"{day.isoformat()}T12:00:00Z",
            "touchpoint": "import",
            "kind": kind,
            "score": score,
        }
    )


def _display_line(ident, event, day, kind):
    return json.dumps(
        {"record": "display", "id": str(ident), "event": event, "day": day.isoformat(), "touchpoint": "import", "kind": kind}
    )


@st.composite
def _ndjson(draw):
    lines = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        if draw(st.booleans()):
            lines.append(
                _display_line(
                    draw(st.uuids(version=4)),
                    draw(st.sampled_from(_displays["events"])),
                    draw(st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31))),
                    draw(st.sampled_from(_displays["kinds"])),
                )
            )
            continue
        kind = draw(st.sampled_from(sorted(_records)))
        low, high = _records[kind]
        lines.append(
            _line(
                kind,
                draw(st.integers(min_value=low, max_value=high)),
                draw(st.uuids(version=4)),
                draw(st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31))),
            )
        )
    return "\n".join(lines)


schemathesis.openapi.format("ndjson", _ndjson())


@schemathesis.serializer("application/x-ndjson")
def _ndjson_body(ctx, value):
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    return json.dumps(value).encode("utf-8")


@schemathesis.hook
def after_call(context, case, response):
    if case.operation.definition.raw.get("operationId") != "updateSettings" or response.status_code != 200:
        return
    origin = os.environ["EARSHOT_ORIGIN"]
    settings = json.loads(response.content)
    if (
        origin in settings["allowed_origins"]
        and settings["rate_limit_per_minute"] >= 10_000
        and settings["contact"] == "negative"
    ):
        return
    # The restore is the test's own plumbing, not a case: a local runtime busy creating the
    # shards a generated PATCH asked for may answer it 503 once, so it is tried a few times.
    for attempt in range(5):
        restored = requests.patch(
            response.request.url,
            headers={"Authorization": response.request.headers["Authorization"]},
            json={"allowed_origins": [origin], "rate_limit_per_minute": 100_000, "contact": "negative"},
            timeout=30,
        )
        if restored.status_code < 500:
            break
        time.sleep(0.5 * (attempt + 1))
    restored.raise_for_status()
