"""Fixtures for the client's tests: a live site and server, the client as a process (hotfolder_kit)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hotfolder_kit import CLIENT_SRC, Client, Server, Site, Visage

sys.path.insert(0, str(CLIENT_SRC))  # the tests import the client's source in this tree, as they run it


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Site:
    site = Site(tmp_path_factory.mktemp("visage-site"))
    site.manage("migrate", "--noinput")
    site.manage("demo_setup")
    return site


@pytest.fixture(scope="session")
def visage(site, tmp_path_factory):
    server = Server(site, tmp_path_factory.mktemp("server") / "server.log")
    server.start()
    try:
        yield Visage(server)
    finally:
        server.kill()


@pytest.fixture
def own_server(site, tmp_path):
    """A server of the test's own (same site, another port), for tests that kill it."""
    server = Server(site, tmp_path / "own-server.log")
    server.start()
    yield server
    server.kill()


@pytest.fixture
def s3_backed_server(site, tmp_path):
    """A server of the test's own whose originals go to an S3 server (moto) of the test's own, stoppable."""
    import boto3

    from tests.faults.conftest import S3Server

    s3 = S3Server()
    s3.start()
    boto3.client("s3", endpoint_url=s3.endpoint, aws_access_key_id="k", aws_secret_access_key="s",
                 region_name="us-east-1").create_bucket(Bucket=S3Server.BUCKET)
    server = Server(site, tmp_path / "s3-server.log", env=s3.worker_env())
    server.start()
    yield server, s3
    server.kill()
    s3.stop()


@pytest.fixture
def client(tmp_path) -> Client:
    return Client(tmp_path)


@pytest.fixture
def folder(tmp_path) -> Path:
    path = tmp_path / "hot folder"
    path.mkdir()
    return path
