from api.openapi_export import OPENAPI_PATH, current_document


def test_committed_openapi_document_is_current():
    assert OPENAPI_PATH.read_text() == current_document(), "run `make openapi` and commit"


def test_every_operation_has_a_stable_operation_id():
    import json

    document = json.loads(current_document())
    ids = [op["operationId"] for path in document["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids))
    assert all("_" not in i for i in ids), ids


def test_every_schema_has_its_own_name():
    # Two capabilities' models with one name become module-path names
    # ("api__ordering__schemas__OrderSummary") and rename the other's schema in every
    # generated client: each capability names its models so they stay unique.
    import json

    document = json.loads(current_document())
    mangled = [name for name in document["components"]["schemas"] if "__" in name]
    assert mangled == []
