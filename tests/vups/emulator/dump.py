"""Reading a device dump (`tripplite-dump/1`, see src/ups/dump.ts) into bytes."""
import json
from dataclasses import dataclass, field

DUMP_FORMAT = 'tripplite-dump/1'


class ConfigError(Exception):
    """Bad input (config, dump or control file): the message is one line for the user."""


@dataclass
class Dump:
    vendor_id: int
    product_id: int
    manufacturer: str
    product: str
    serial: str
    path: str
    report_descriptor: bytes | None
    feature_reports: dict[int, bytes] = field(default_factory=dict)
    input_reports: dict[int, bytes] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)


def parse_hex(text, where):
    """'05 84 09' (spaces optional) -> bytes; ConfigError naming `where` otherwise."""
    if not isinstance(text, str):
        raise ConfigError('%s: expected a hex string, got %s' % (where, json.dumps(text)))
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise ConfigError('%s: not hex bytes: %s' % (where, json.dumps(text[:40]))) from None


def parse_report_map(obj, where):
    """{"48": "30 78"} -> {48: b'\\x30\\x78'}; keys are decimal report ids 0..255."""
    if obj is None:
        return {}
    if not isinstance(obj, dict):
        raise ConfigError('%s: expected an object of report id -> hex bytes' % where)
    return {report_id(k, where): parse_hex(v, '%s[%s]' % (where, k)) for k, v in obj.items()}


def report_id(key, where):
    try:
        rid = int(key, 10) if isinstance(key, str) else int(key)
    except ValueError:
        rid = -1
    if not 0 <= rid <= 255:
        raise ConfigError('%s: report id must be a decimal number 0..255, got %s'
                          % (where, json.dumps(key)))
    return rid


def load_dump(path):
    try:
        with open(path, encoding='utf-8') as f:
            doc = json.load(f)
    except OSError as e:
        raise ConfigError('cannot read dump %s: %s' % (path, e.strerror)) from None
    except ValueError as e:
        raise ConfigError('dump %s is not JSON: %s' % (path, e)) from None
    return parse_dump(doc, path)


def parse_dump(doc, where):
    if not isinstance(doc, dict) or doc.get('format') != DUMP_FORMAT:
        raise ConfigError('%s: not a %s document (format is %s)'
                          % (where, DUMP_FORMAT, json.dumps(doc.get('format') if isinstance(doc, dict) else None)))
    dev = doc.get('device')
    if not isinstance(dev, dict):
        raise ConfigError('%s: missing "device" object' % where)
    for key in ('vendorId', 'productId'):
        if not isinstance(dev.get(key), int) or not 0 <= dev[key] <= 0xFFFF:
            raise ConfigError('%s: device.%s must be a number 0..65535' % (where, key))
    for key in ('manufacturer', 'product', 'serial', 'path'):
        if not isinstance(dev.get(key, ''), str):
            raise ConfigError('%s: device.%s must be a string' % (where, key))
    desc = doc.get('reportDescriptor')
    errors = doc.get('errors') or {}
    if not isinstance(errors, dict) or not all(isinstance(v, str) for v in errors.values()):
        raise ConfigError('%s: "errors" must map report ids to libusb error names' % where)
    return Dump(
        vendor_id=dev['vendorId'],
        product_id=dev['productId'],
        manufacturer=dev.get('manufacturer', ''),
        product=dev.get('product', ''),
        serial=dev.get('serial', ''),
        path=dev.get('path', ''),
        report_descriptor=None if desc is None else parse_hex(desc, where + ': reportDescriptor'),
        feature_reports=parse_report_map(doc.get('featureReports'), where + ': featureReports'),
        input_reports=parse_report_map(doc.get('inputReports'), where + ': inputReports'),
        errors={report_id(k, where + ': errors'): v for k, v in errors.items()},
    )
