"""Token issuing (identity is the only service that holds the private key)."""

from __future__ import annotations

from flask_jwt_extended import create_access_token, create_refresh_token

from services.identity.service_layer.handlers import SessionStart
from shared.logs import mask_document


def account_view(account, roles: list[str]) -> dict:
    return {"id": account.id, "roles": roles, "nationality": account.nationality,
            "document_type": account.document_type,
            "masked_document": mask_document(account.document_number)}


def issue_tokens(start: SessionStart) -> dict:
    claims = {"roles": start.roles, "sid": start.family_id}
    return {
        "access_token": create_access_token(identity=start.account.id, additional_claims=claims),
        "refresh_token": create_refresh_token(
            identity=start.account.id,
            additional_claims={"sid": start.family_id, "jti": start.refresh_jti}),
        "account": account_view(start.account, start.roles),
    }
