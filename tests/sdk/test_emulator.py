"""Drives `sm-config serve` (emulator, default world) with IBM's own Python SDKs and loads every
answer into their generated models (`Model.from_dict` raises on a missing required field).

Usage: python tests/sdk/test_emulator.py PATH/TO/sm-config
Exit 0 when every check passes; any failure raises (non-zero exit with a traceback).
"""

import json
import subprocess
import sys

from ibm_cloud_sdk_core import ApiException
from ibm_cloud_sdk_core.authenticators import BearerTokenAuthenticator
from ibm_code_engine_sdk.code_engine_v2 import (
    CodeEngineV2, Job, JobList, JobsPager, Project, ProjectList, ProjectsPager)
from ibm_platform_services import IamPolicyManagementV1
from ibm_platform_services.iam_policy_management_v1 import (
    PoliciesPager, Policy, PolicyCollection, PolicyResource, PolicyRole, PolicySubject,
    ResourceAttribute, SubjectAttribute)
from ibm_secrets_manager_sdk.secrets_manager_v2 import (
    CustomCredentialsConfiguration, CustomCredentialsConfigurationPrototype,
    CustomCredentialsConfigurationCodeEngine, IAMCredentialsSecret, IAMCredentialsSecretMetadata,
    IAMCredentialsSecretPrototype, CommonRotationPolicy, SecretGroupCollection,
    SecretMetadataPaginatedCollection, SecretsManagerV2, SecretsPager)

PREFIX = "sm-config serve: listening on "
ACCOUNT = "a0c5f1d2e3b4a5968778695a4b3c2d1e"
INSTANCE = "00000000-0000-0000-0000-000000000000"
PAYROLL = "8c1e5f0a-3b2d-4e6f-9a7b-1c2d3e4f5a6b"
PARTNERS = "2f7d9b4c-6a1e-4c3d-8b5f-7e9a0c1d2b3e"
ROTATED = "0b7e3c9a-5d1f-4e2a-8c6b-9d0e1f2a3b4c"


def auth():
    # The emulator takes any bearer token.
    return BearerTokenAuthenticator("sdk-test-token")


def expect_error(call, status, code):
    try:
        call()
    except ApiException as e:
        assert e.code == status, (e.code, e.message)
        body = e.http_response.json()
        assert body["errors"][0]["code"] == code, body
        assert body["status_code"] == status, body
        assert e.message, "the sdk reads the error message"
        return
    raise AssertionError(f"expected {status} {code}")


def code_engine(url):
    ce = CodeEngineV2(authenticator=auth())
    ce.set_service_url(f"{url}/codeengine/eu-de/v2")
    page = ce.list_projects(limit=1).get_result()
    ProjectList.from_dict(page)
    assert [p["name"] for p in page["projects"]] == ["partners"], page
    everything = ProjectsPager(client=ce, limit=1).get_all()
    assert [p["name"] for p in everything] == ["partners", "legacy"], everything
    for p in everything:
        Project.from_dict(p)
    project = Project.from_dict(ce.get_project(id=PARTNERS).get_result())
    assert project.status == "active" and project.region == "eu-de"
    jobs = ce.list_jobs(project_id=PARTNERS, limit=1).get_result()
    JobList.from_dict(jobs)
    all_jobs = JobsPager(client=ce, project_id=PARTNERS, limit=1).get_all()
    assert [j["name"] for j in all_jobs] == ["issue-partner-key", "optional-outputs"]
    for j in all_jobs:
        Job.from_dict(j)
    job = Job.from_dict(ce.get_job(project_id=PARTNERS, name="issue-partner-key").get_result())
    assert any(v.name == "SMOUT_API_KEY" for v in job.run_env_variables)
    expect_error(lambda: ce.get_project(id=PAYROLL), 404, "resource_not_found")
    expect_error(lambda: ce.get_job(project_id=PARTNERS, name="nope"), 404, "resource_not_found")
    ce.set_service_url(f"{url}/codeengine/us-south/v2")
    job = Job.from_dict(ce.get_job(project_id=PAYROLL, name="trusted-issuer").get_result())
    assert job.run_compute_resource_token_enabled is True


def secrets_manager(url):
    sm = SecretsManagerV2(authenticator=auth())
    sm.set_service_url(url)
    page = sm.list_secrets(secret_types=["iam_credentials"], limit=2).get_result()
    SecretMetadataPaginatedCollection.from_dict(page)
    assert page["total_count"] == 3 and len(page["secrets"]) == 2, page
    everything = SecretsPager(client=sm, limit=1, secret_types=["iam_credentials"]).get_all()
    assert len(everything) == 3, everything
    for s in everything:
        IAMCredentialsSecretMetadata.from_dict(s)
    meta = IAMCredentialsSecretMetadata.from_dict(sm.get_secret_metadata(id=ROTATED).get_result())
    # RotationPolicy is a oneOf; the SDK keeps it as the dict it read.
    assert meta.to_dict()["rotation"]["auto_rotate"] is True and meta.reuse_api_key is True
    SecretGroupCollection.from_dict(sm.list_secret_groups().get_result())
    expect_error(lambda: sm.get_secret_metadata(id="00000000-0000-4000-8000-000000000000"),
                 404, "secret_not_found")

    created = sm.create_secret(secret_prototype=IAMCredentialsSecretPrototype(
        secret_type="iam_credentials", name="sdk-created-key", ttl="90d", reuse_api_key=True,
        service_id="ServiceId-6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b",
        rotation=CommonRotationPolicy(auto_rotate=True, interval=30, unit="day"),
    ))
    assert created.get_status_code() == 201
    secret = IAMCredentialsSecret.from_dict(created.get_result())
    assert secret.api_key is None, "never a payload"
    expect_error(lambda: sm.create_secret(secret_prototype=IAMCredentialsSecretPrototype(
        secret_type="iam_credentials", name="sdk-created-key", ttl="90d", reuse_api_key=True,
        service_id="ServiceId-6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b")), 409, "secret_already_exists")

    configuration = sm.create_configuration(
        configuration_prototype=CustomCredentialsConfigurationPrototype(
            config_type="custom_credentials_configuration", name="sdk-payroll",
            api_key_ref=ROTATED,
            code_engine=CustomCredentialsConfigurationCodeEngine(
                project_id=PAYROLL, job_name="rotate-db-password", region="us-south")))
    c = CustomCredentialsConfiguration.from_dict(configuration.get_result())
    assert [p.env_variable_name for p in c.schema.parameters] == ["SMIN_USERNAME", "SMIN_DB_HOST"]


def iam(url):
    iam = IamPolicyManagementV1(authenticator=auth())
    iam.set_service_url(f"{url}/iam")
    listed = iam.list_policies(account_id=ACCOUNT, type="authorization").get_result()
    PolicyCollection.from_dict(listed)
    assert len(listed["policies"]) == 1
    created = iam.create_policy(
        type="authorization",
        subjects=[PolicySubject(attributes=[
            SubjectAttribute(name="accountId", value=ACCOUNT),
            SubjectAttribute(name="serviceName", value="secrets-manager"),
            SubjectAttribute(name="serviceInstance", value=INSTANCE)])],
        roles=[PolicyRole(role_id="crn:v1:bluemix:public:iam::::role:Viewer"),
               PolicyRole(role_id="crn:v1:bluemix:public:iam::::serviceRole:Writer")],
        resources=[PolicyResource(attributes=[
            ResourceAttribute(name="accountId", value=ACCOUNT, operator="stringEquals"),
            ResourceAttribute(name="serviceName", value="codeengine", operator="stringEquals"),
            ResourceAttribute(name="serviceInstance", value=PARTNERS, operator="stringEquals")])])
    assert created.get_status_code() == 201
    policy = Policy.from_dict(created.get_result())
    assert [r.display_name for r in policy.roles] == ["Viewer", "Writer"]
    pages = PoliciesPager(client=iam, account_id=ACCOUNT, type="authorization", limit=1).get_all()
    assert len(pages) == 2, pages
    for p in pages:
        Policy.from_dict(p)
    expect_error(lambda: iam.list_policies(account_id=ACCOUNT, type="owner"), 400,
                 "invalid_query_parameter")


def main():
    binary = sys.argv[1]
    server = subprocess.Popen([binary, "serve", "--listen", "127.0.0.1:0"],
                              stdout=subprocess.PIPE, text=True)
    try:
        first = server.stdout.readline().strip()
        assert first.startswith(PREFIX), first
        url = first[len(PREFIX):]
        code_engine(url)
        secrets_manager(url)
        iam(url)
        print(json.dumps({"sdk_test": "ok", "server": url}))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
