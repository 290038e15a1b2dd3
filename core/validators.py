"""connexion's request validators, made strict where its own let bad input through to a 500 or into storage:
JSON nested deep enough to exhaust the stack, NaN and Infinity (Python's json takes them; they are not JSON and
pass `minimum`/`maximum`), numbers beyond range, a body that is not text in its charset (connexion let the
UnicodeDecodeError out) or in an unknown one; and messages that repeat a whole value (core.inputs clips every
problem's detail as well). Given to every `add_api` as `validator_map=validator_map()`."""
from __future__ import annotations

import typing as t

from connexion.datastructures import MediaTypeDict
from connexion.exceptions import BadRequestProblem, UnsupportedMediaTypeProblem
from connexion.json_schema import format_error_with_path
from connexion.utils import is_null, is_nullable
from connexion.validators import VALIDATOR_MAP, JSONRequestBodyValidator, ParameterValidator
from jsonschema import Draft4Validator, ValidationError

from core import json_input
from core.clip import without_instance


class StrictJSONBodyValidator(JSONRequestBodyValidator):
    async def _parse(self, stream: t.AsyncGenerator[bytes, None], scope) -> t.Any:
        raw = b"".join([chunk async for chunk in stream])
        if not raw:
            return None
        try:
            return json_input.loads(raw, self._encoding)
        except UnicodeDecodeError as exc:
            raise BadRequestProblem(detail=f"the request body is not valid {self._encoding} ({exc.reason} at byte "
                                           f"{exc.start})") from None
        except LookupError:
            raise UnsupportedMediaTypeProblem(
                detail=f"charset '{self._encoding}' is unknown: send the body as UTF-8") from None
        except json_input.NotJson as exc:
            raise BadRequestProblem(detail=str(exc)) from None

    def _validate(self, body: t.Any) -> t.Optional[dict]:
        if not self._nullable and body is None:
            raise BadRequestProblem("Request body must not be empty")
        try:
            return self._validator.validate(body)
        except ValidationError as exc:
            raise BadRequestProblem(detail=without_instance(exc.message, exc.instance)
                                    + format_error_with_path(exception=exc)) from None


class StrictParameterValidator(ParameterValidator):
    @staticmethod
    def validate_parameter(parameter_type, value, param, param_name=None):
        if value is None or is_nullable(param) and is_null(value):
            return ParameterValidator.validate_parameter(parameter_type, value, param, param_name)
        if json_input.non_finite(value):
            return f"{parameter_type} parameter '{param['name']}' must be a finite number, not {value}"
        try:
            Draft4Validator(param.get("schema", param), format_checker=Draft4Validator.FORMAT_CHECKER).validate(value)
        except ValidationError as exc:
            # The first line only: str(exc) adds the schema and a pretty-printed copy of the whole value.
            return f"{parameter_type} parameter '{param['name']}': {without_instance(exc.message, exc.instance)}"
        return None


def validator_map() -> dict:
    """For connexion's add_api(validator_map=...): every JSON media type and the parameters."""
    body = MediaTypeDict({media: StrictJSONBodyValidator if cls is JSONRequestBodyValidator else cls
                          for media, cls in VALIDATOR_MAP["body"].items()})
    return {"parameter": StrictParameterValidator, "body": body}
