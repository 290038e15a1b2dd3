"""The request validators every app uses: core.validation's (formats checked with core.formats), made strict where
connexion's let bad input through to a 500 or into storage: JSON nested deep enough to exhaust the stack, NaN and
Infinity (Python's json takes them; they are not JSON and pass `minimum`/`maximum`), numbers beyond range, a body
that is not text in its charset (connexion let the UnicodeDecodeError out) or in an unknown one; and messages that
repeat a whole value (core.inputs clips every problem's detail as well). Given to every `add_api` as
`validator_map=validator_map()`."""

from __future__ import annotations

import typing as t

from connexion.exceptions import BadRequestProblem, UnsupportedMediaTypeProblem
from connexion.lifecycle import ConnexionRequest
from connexion.utils import is_null, is_nullable
from jsonschema import Draft4Validator, ValidationError
from jsonschema.exceptions import best_match
from starlette.types import Scope

from claro_backoffice.core import json_input, validation
from claro_backoffice.core.clip import clip_value, schema_message


class StrictJSONBodyValidator(validation.FormatJSONRequestBodyValidator):
    async def _parse(self, stream: t.AsyncGenerator[bytes, None], scope: Scope) -> t.Any:
        raw = b"".join([chunk async for chunk in stream])
        if not raw:
            return None
        try:
            return json_input.loads(raw, self._encoding)
        except UnicodeDecodeError as exc:
            raise BadRequestProblem(
                detail=f"the request body is not valid {self._encoding} ({exc.reason} at byte {exc.start})"
            ) from None
        except LookupError:
            raise UnsupportedMediaTypeProblem(
                detail=f"charset '{self._encoding}' is unknown: send the body as UTF-8"
            ) from None
        except json_input.NotJson as exc:
            raise BadRequestProblem(detail=str(exc)) from None

    def _validate(self, body: t.Any) -> dict | None:
        if not self._nullable and body is None:
            raise BadRequestProblem("Request body must not be empty")
        try:
            return self._validator.validate(body)
        except ValidationError as exc:
            raise BadRequestProblem(detail=schema_message(exc)) from None


class StrictParameterValidator(validation.FormatParameterValidator):
    def validate_parameter(  # connexion calls it on self
        self, parameter_type: str, value: t.Any, param: dict[str, t.Any], param_name: str | None = None
    ) -> str | None:
        if value is None or is_nullable(param) and is_null(value):
            return super().validate_parameter(parameter_type, value, param, param_name)
        if json_input.non_finite(value):
            return f"{parameter_type} parameter '{param['name']}' must be a finite number, not {value}"
        errors = list(Draft4Validator(param.get("schema", param), format_checker=self._formats).iter_errors(value))
        if not errors:
            return None
        # A broken format first (it names the expected form); the message's first line only: str(error) adds the
        # schema and a pretty-printed copy of the whole value.
        error = next((e for e in errors if e.validator == "format"), None) or best_match(errors)
        return f"{parameter_type} parameter '{param['name']}': {schema_message(error)}"

    def validate_query_parameter_list(
        self, request: ConnexionRequest, security_params: list[str] | None = None
    ) -> set[str]:
        """The unknown parameters, for connexion's ExtraParameterProblem: their names clipped."""
        return {clip_value(name) for name in super().validate_query_parameter_list(request, security_params)}


def validator_map() -> dict:
    """For connexion's add_api(validator_map=...): core.validation's, with the strict JSON body and parameters."""
    validators = validation.validator_map()
    validators["body"]["*/*json"] = StrictJSONBodyValidator
    validators["parameter"] = StrictParameterValidator
    return validators
