"""The files shared with the test harness: control (read), events and status (written).

Control file, keyed by device path, read on every URB and every poll (clients
replace it atomically: write a temp file, rename it over):
  {"seq": 3, "1-1": {"connected": true, "disconnectMode": "remove",
                     "featureReports": {"50": "32 62"}, "inputReports": {},
                     "stall": [51], "hang": [52]}}
Events log: one JSON object per line, flushed per line.
Status file: one JSON document, replaced atomically on every change.
"""
import json
import os
import sys
import threading
import time
from dataclasses import dataclass, field

from .dump import ConfigError, parse_report_map, report_id

DISCONNECT_MODES = ('remove', 'enodev', 'eshutdown')


@dataclass(frozen=True)
class DeviceControl:
    connected: bool = True
    disconnect_mode: str = 'remove'
    feature_reports: dict = field(default_factory=dict)
    input_reports: dict = field(default_factory=dict)
    stall: frozenset = frozenset()
    hang: frozenset = frozenset()


@dataclass(frozen=True)
class Control:
    seq: int = 0
    devices: dict = field(default_factory=dict)

    def device(self, path):
        return self.devices.get(path) or DEFAULT_DEVICE_CONTROL


DEFAULT_DEVICE_CONTROL = DeviceControl()


def parse_control(doc, known_paths):
    if not isinstance(doc, dict):
        raise ConfigError('control file: expected a JSON object keyed by device path')
    seq = doc.get('seq', 0)
    if not isinstance(seq, int):
        raise ConfigError('control file: "seq" must be an integer')
    devices = {}
    for path, d in doc.items():
        if path == 'seq':
            continue
        where = 'control file: %s' % path
        if path not in known_paths:
            raise ConfigError('%s: no such device (devices: %s)' % (where, ', '.join(known_paths)))
        if not isinstance(d, dict):
            raise ConfigError('%s: expected an object' % where)
        mode = d.get('disconnectMode', 'remove')
        if mode not in DISCONNECT_MODES:
            raise ConfigError('%s: disconnectMode must be one of %s' % (where, '|'.join(DISCONNECT_MODES)))
        connected = d.get('connected', True)
        if not isinstance(connected, bool):
            raise ConfigError('%s: connected must be true or false' % where)
        devices[path] = DeviceControl(
            connected=connected,
            disconnect_mode=mode,
            feature_reports=parse_report_map(d.get('featureReports'), where + ': featureReports'),
            input_reports=parse_report_map(d.get('inputReports'), where + ': inputReports'),
            stall=frozenset(report_id(i, where + ': stall') for i in _list(d, 'stall', where)),
            hang=frozenset(report_id(i, where + ': hang') for i in _list(d, 'hang', where)),
        )
    return Control(seq, devices)


def _list(d, key, where):
    v = d.get(key, [])
    if not isinstance(v, list):
        raise ConfigError('%s: %s must be a list of report ids' % (where, key))
    return v


class ControlFile:
    """The current control settings, re-read on every call (the file is small).

    Contents are compared rather than inode/mtime: two quick replacements can reuse
    an inode within one coarse timestamp tick and look unchanged.
    """

    def __init__(self, path, known_paths):
        self.path = path
        self.known_paths = list(known_paths)
        self.lock = threading.Lock()
        self.text = None
        self.control = Control()

    def current(self):
        if not self.path:
            return self.control
        with self.lock:
            try:
                with open(self.path, 'rb') as f:
                    text = f.read()
            except FileNotFoundError:
                return self.control
            if text == self.text:
                return self.control
            self.text = text
            try:
                self.control = parse_control(json.loads(text), self.known_paths)
            except ValueError as e:
                print('vups: control file %s is not JSON, keeping the previous settings: %s'
                      % (self.path, e), file=sys.stderr, flush=True)
            except ConfigError as e:
                print('vups: %s (previous settings kept)' % e, file=sys.stderr, flush=True)
            return self.control


class EventLog:
    """Appends `{"t": ms, "device": path, "event": name, ...}` lines, flushed each."""

    def __init__(self, path, t0):
        self.t0 = t0
        self.lock = threading.Lock()
        self.file = open(path, 'a', encoding='utf-8') if path else None

    def emit(self, device, event, **fields):
        if self.file is None:
            return
        rec = {'t': round((time.monotonic() - self.t0) * 1000, 1), 'device': device, 'event': event}
        rec.update(fields)
        line = json.dumps(rec, separators=(',', ':')) + '\n'
        with self.lock:
            self.file.write(line)
            self.file.flush()


class StatusFile:
    """A JSON document replaced atomically (temp file + rename) on each write."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()

    def write(self, doc):
        if not self.path:
            return
        text = json.dumps(doc, indent=1, sort_keys=True) + '\n'
        with self.lock:
            tmp = self.path + '.tmp'
            with open(tmp, 'w', encoding='utf-8') as f:
                f.write(text)
            os.replace(tmp, self.path)
