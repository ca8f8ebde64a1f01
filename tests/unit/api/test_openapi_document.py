from api.openapi_export import OPENAPI_PATH, current_document


def test_committed_openapi_document_is_current():
    assert OPENAPI_PATH.read_text() == current_document(), "run `make openapi` and commit"


def test_every_operation_has_a_stable_operation_id():
    import json

    document = json.loads(current_document())
    ids = [op["operationId"] for path in document["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids))
    assert all("_" not in i for i in ids), ids
