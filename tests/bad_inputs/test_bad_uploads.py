"""Every entry of the bad-input corpus gets a clear error (at upload, or as the failed
job's message naming the user's file) and nothing stored before is lost or changed."""

from __future__ import annotations

import concurrent.futures as cf
import hashlib

import pytest
from lr_bad_corpus import corpus
from lr_web_helpers import make_client, upload, wait_done

CORPUS = corpus()


@pytest.fixture(scope="module")
def app_client(tmp_path_factory):
    """One app for the module (real readers via reader_runner) with one finished assessment."""
    tmp = tmp_path_factory.mktemp("bad")
    with make_client(tmp, runner="lr_test_runners:reader_runner", max_upload_mb=1.0) as c:
        good = _good_kp_csv()
        aid = upload(c, content=good, name="good.csv").json()["id"]
        assert wait_done(c, aid)["status"] == "done"
        c.good_id = aid
        c.good_summary = c.get(f"/api/assessments/{aid}/summary").json()
        c.data_dir = tmp / "data"
        yield c


def _good_kp_csv() -> bytes:
    from lr_bad_corpus import _csv, _motion

    return _csv(_motion())


def _stored_files(data_dir):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in (data_dir / "uploads").rglob("*") if p.is_file()}


def _assert_nothing_lost(c, files_before):
    files_after = _stored_files(c.data_dir)
    assert {k: files_after.get(k) for k in files_before} == files_before  # every stored file intact
    assert not [n for n in files_after if n.startswith(".incoming")]  # no temporary left behind
    assert c.get(f"/api/assessments/{c.good_id}").json()["status"] == "done"
    assert c.get(f"/api/assessments/{c.good_id}/summary").json() == c.good_summary


@pytest.mark.parametrize(("case", "name", "content", "mime", "status", "message"), CORPUS, ids=[c[0] for c in CORPUS])
def test_bad_upload_clear_error_nothing_lost(app_client, case, name, content, mime, status, message):
    c = app_client
    before = _stored_files(c.data_dir)
    n_before = len(c.get("/api/assessments").json())
    r = upload(c, content=content, name=name, mime=mime)
    assert r.status_code == status, r.text
    if status != 201:
        assert message in r.json()["detail"]
        assert name.split(".")[0] in r.json()["detail"]  # names the user's file
        assert _stored_files(c.data_dir) == before  # refused uploads store nothing
        assert len(c.get("/api/assessments").json()) == n_before
    else:
        s = wait_done(c, r.json()["id"])
        assert s["status"] == "failed" and message in s["error"], s
        assert name in s["error"] and "/uploads/" not in s["error"]  # the user's name, not the storage path
    _assert_nothing_lost(c, before)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("mass_kg", "5000", "mass_kg is 5000.0 kg; expected 20.0-250.0 kg (is it in pounds or grams?)"),
    ("mass_kg", "-3", "mass_kg is -3.0 kg"),
    ("mass_kg", "nan", "expected a finite number"),
    ("mass_kg", "", "mass_kg is missing"),
    ("height_m", "178", "looks like centimetres"),
    ("height_m", "1780", "looks like millimetres"),
    ("height_m", "abc", "height_m is 'abc'; expected a number"),
    ("age_years", "300", "age_years is 300.0 years"),
    ("sex", "robot", "sex is 'robot'"),
    ("box_mass_kg", "900", "box_mass_kg is 900.0 kg; expected 0.0-200.0 kg"),
    ("worker", "Jane Doe", "pseudonymous"),
    ("job", "../../etc", "job name '../../etc' is not valid"),
])
def test_absurd_subject_data_refused_before_storing(app_client, field, value, message):
    c = app_client
    before = _stored_files(c.data_dir)
    r = upload(c, content=_good_kp_csv() + b"\n", name="new.csv", **{field: value})
    assert r.status_code in (400, 422), r.text
    assert message in r.json()["detail"]
    assert _stored_files(c.data_dir) == before
    _assert_nothing_lost(c, before)


def test_huge_upload_refused_with_413(app_client):
    c = app_client
    before = _stored_files(c.data_dir)
    big = b"time_s,x\n" + b"0,1\n" * 800_000  # 3.2 MB > 1 MB limit (+1 MB form allowance)
    r = upload(c, content=big, name="big.csv")
    assert r.status_code == 413 and "larger than the limit of 1 MB" in r.json()["detail"]
    # just above the limit but inside the form allowance: caught by the file-size check
    r = upload(c, content=b"time_s,x\n" + b"0,1\n" * 260_000, name="big2.csv")
    assert r.status_code == 413 and "larger than the limit of 1 MB" in r.json()["detail"]
    # a lying Content-Length does not help: the streamed body is counted
    r = c.post("/api/assessments", content=b"x" * 2_500_000,
               headers={"content-type": "multipart/form-data; boundary=zz", "content-length": "10"})
    assert r.status_code in (400, 413)
    _assert_nothing_lost(c, before)


@pytest.mark.parametrize("evil", ["../../../evil.csv", "..\\..\\evil.csv", "/etc/evil.csv", "a/../../evil.csv",
                                  "evil\x00.csv", "C:\\Windows\\evil.csv", "....//....//evil.csv", "%2e%2e%2fevil.csv",
                                  "<script>alert(1)</script>.csv"])
def test_path_traversal_names_cannot_escape(app_client, tmp_path, evil):
    c = app_client
    r = upload(c, content=_good_kp_csv(), name=evil)
    assert r.status_code == 201, r.text
    s = wait_done(c, r.json()["id"])
    assert s["status"] == "done"
    assert "/" not in s["input_name"] and "\\" not in s["input_name"] and ".." not in s["input_name"]
    assert "<" not in s["input_name"]
    page = c.get(f"/assessments/{r.json()['id']}", headers={"accept": "text/html"}).text
    assert "<script>alert" not in page
    # nothing named evil anywhere in the data folder or above it
    root = c.data_dir.parent
    assert not [p for p in root.rglob("*evil*")]
    assert not (root.parent / "evil.csv").exists()


def test_concurrent_uploads_of_the_same_file(app_client):
    c = app_client
    content = _good_kp_csv() + b"\n\n"
    before = _stored_files(c.data_dir)

    def post(i):
        return upload(c, content=content, name=f"same{i}.csv")

    with cf.ThreadPoolExecutor(6) as pool:
        responses = list(pool.map(post, range(6)))
    assert [r.status_code for r in responses] == [201] * 6
    ids = [r.json()["id"] for r in responses]
    assert len(set(ids)) == 6
    assert [wait_done(c, i)["status"] for i in ids] == ["done"] * 6
    after = _stored_files(c.data_dir)
    new = set(after) - set(before)
    assert len(new) == 1  # one stored copy, named by its hash
    name = new.pop()
    assert after[name] == hashlib.sha256(content).hexdigest() and name.startswith(after[name])
    _assert_nothing_lost(c, before)
