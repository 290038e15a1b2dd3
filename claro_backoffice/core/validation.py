"""connexion's request validators with core.formats checking `date-time` and `date` (pass `validator_map()` to
add_api). connexion hands jsonschema its module-wide Draft 4 checker, which checks neither `date` nor, without
rfc3339-validator installed, `date-time`; these subclasses give it SpecFormats instead."""

from __future__ import annotations

from typing import Any

from connexion.datastructures import MediaTypeDict
from connexion.validators import (
    AbstractRequestBodyValidator,
    FormDataValidator,
    JSONRequestBodyValidator,
    MultiPartFormDataValidator,
    ParameterValidator,
)
from jsonschema import Draft4Validator
from jsonschema.protocols import Validator

from claro_backoffice.core.formats import SpecFormats


class FormatParameterValidator(ParameterValidator):
    """A parameter that breaks its format is a 400 naming the parameter and the expected form; an empty value
    (`?start=`) is such a value, not an absent one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._formats = SpecFormats()

    def validate_parameter(  # connexion calls it on self
        self, parameter_type: str, value: Any, param: dict[str, Any], param_name: str | None = None
    ) -> str | None:
        schema = param.get("schema", param)
        nullable = schema.get("nullable") or param.get("x-nullable")
        if isinstance(value, str) and not (nullable and value in ("null", "None")):
            for error in Draft4Validator(schema, format_checker=self._formats).iter_errors(value):
                if error.validator == "format":
                    return f"{parameter_type} parameter '{param['name']}': {error.message}"
        return super().validate_parameter(parameter_type, value, param, param_name)


class _FormatBody(AbstractRequestBodyValidator):
    """Mixin: the body's validator (connexion's `_validator` hook, as its own Defaults validator overrides it)
    with SpecFormats as format checker. Derived from connexion's abstract body validator so `super()` is typed;
    each subclass's concrete validator still comes next in its MRO."""

    @property
    def _validator(self) -> Validator:
        checked = super()._validator
        return type(checked)(checked.schema, format_checker=SpecFormats())


class FormatJSONRequestBodyValidator(_FormatBody, JSONRequestBodyValidator):
    pass


class FormatFormDataValidator(_FormatBody, FormDataValidator):
    pass


class FormatMultiPartFormDataValidator(_FormatBody, MultiPartFormDataValidator):
    pass


def validator_map() -> dict:
    """The request validators above; connexion keeps its own for responses."""
    return dict(
        parameter=FormatParameterValidator,
        body=MediaTypeDict(
            {
                "*/*json": FormatJSONRequestBodyValidator,
                "application/x-www-form-urlencoded": FormatFormDataValidator,
                "multipart/form-data": FormatMultiPartFormDataValidator,
            }
        ),
    )
