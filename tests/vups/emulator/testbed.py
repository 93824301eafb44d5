"""The umockdev testbed with every hub and UPS, and the loop that follows the control file."""
import os
import queue
import threading
import time

import gi

gi.require_version('UMockdev', '1.0')
from gi.repository import UMockdev  # noqa: E402

from .device import EmulatedUps  # noqa: E402
from .dump import ConfigError, load_dump  # noqa: E402
from .files import ControlFile, EventLog, StatusFile  # noqa: E402
from .topology import (DevnumAllocator, hub_paths, hub_record, parse_usb_path,  # noqa: E402
                       record_text, root_hub_record)

SUN_PATH_MAX = 107
# How long an EAGAIN answer to a reap waits while an URB is pending (see README.md, pitfall 5)
DEFAULT_REAP_THROTTLE_MS = 2
# longest socket below the testbed: ioctl/dev/bus/usb/BBB/DDD (libudev's are shorter)
LONGEST_SOCKET_SUFFIX = len('/ioctl/dev/bus/usb/001/002')


class Deferred:
    """Runs callbacks a little later on one helper thread, in submission order."""

    def __init__(self):
        self.q = queue.Queue()
        threading.Thread(target=self._run, name='vups-deferred', daemon=True).start()

    def later(self, delay, fn, *args):
        self.q.put((time.monotonic() + delay, fn, args))

    def _run(self):
        while True:
            due, fn, args = self.q.get()
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            fn(*args)


class Emulator:
    def __init__(self, config):
        self.lock = threading.RLock()
        self.t0 = time.monotonic()
        self.shared = bool(config.get('shared'))
        self.reap_throttle = self._reap_throttle(config) / 1000
        self.events = EventLog(config.get('events'), self.t0)
        self.status_file = StatusFile(config.get('status'))
        self.deferred = Deferred()
        self.devnums = DevnumAllocator()
        specs = [self._device_spec(d, i) for i, d in enumerate(config['devices'])]
        names = [s['path'].name for s in specs]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ConfigError('config: two devices on path %s' % sorted(dup)[0])
        self.control = ControlFile(config.get('control'), names)
        self.applied_seq = None
        self.testbed = UMockdev.Testbed.new()
        self.root = self.testbed.get_root_dir()
        if len(self.root) + LONGEST_SOCKET_SUFFIX > SUN_PATH_MAX:
            raise ConfigError('testbed directory %s is too long for unix socket paths: '
                              'use a shorter --tmpdir' % self.root)
        self.devices = []
        self.node_modes = {}
        with self.lock:
            self._build(specs)
            self.write_status()

    @staticmethod
    def _reap_throttle(config):
        ms = config.get('reapThrottleMs', DEFAULT_REAP_THROTTLE_MS)
        if isinstance(ms, bool) or not isinstance(ms, (int, float)) or not 0 <= ms <= 1000:
            raise ConfigError('config: reapThrottleMs must be a number of milliseconds, 0..1000')
        return ms

    @staticmethod
    def _device_spec(d, i):
        where = 'config: devices[%d]' % i
        if not isinstance(d, dict) or not isinstance(d.get('dump'), str):
            raise ConfigError('%s: needs "dump": "/path/to/dump.json"' % where)
        dump = load_dump(d['dump'])
        path = d.get('path') or dump.path
        if not path:
            raise ConfigError('%s: no "path" and the dump has no device.path' % where)
        mode = d.get('devnodeMode')
        if mode is not None and (not isinstance(mode, str) or not mode.isdigit()):
            raise ConfigError('%s: devnodeMode must be an octal string like "0644"' % where)
        driver = d.get('kernelDriver', 'usbhid')
        if driver is not None and (not isinstance(driver, str) or not driver):
            raise ConfigError('%s: kernelDriver must be a driver name or null' % where)
        empty_serial = d.get('emptySerial', 'absent')
        if empty_serial not in ('absent', 'empty'):
            raise ConfigError('%s: emptySerial must be "absent" or "empty"' % where)
        ups_interface = d.get('upsInterface', 0)
        if not isinstance(ups_interface, int) or isinstance(ups_interface, bool) \
                or not 0 <= ups_interface <= 3:
            raise ConfigError('%s: upsInterface must be a number 0..3' % where)
        return {'dump': dump, 'path': parse_usb_path(path, where + ': path'),
                'driver': driver, 'mode': None if mode is None else int(mode, 8),
                'empty_serial': empty_serial, 'ups_interface': ups_interface}

    def _build(self, specs):
        paths = [s['path'] for s in specs]
        hubs = hub_paths(paths)
        for bus in sorted({p.bus for p in paths}):
            top = [p.ports[0] for p in paths + hubs if p.bus == bus]
            self.testbed.add_from_string(record_text(root_hub_record(bus, max(top + [2]))))
        for hub in hubs:
            kids = [p.ports[-1] for p in paths + hubs if p.parent == hub]
            self.testbed.add_from_string(record_text(
                hub_record(hub, self.devnums.take(hub.bus), max(kids + [4]))))
        for s in specs:
            dev = EmulatedUps(self, s['path'], s['dump'], s['driver'], s['mode'],
                             s['empty_serial'], s['ups_interface'])
            self.devices.append(dev)
            dev.plug()

    def node_added(self, node, mode):
        """A device node appeared: apply sharing and the configured node modes."""
        if mode is not None:
            self.node_modes[node] = mode
        if self.shared:
            self._open_up(self.root)
        for n, m in self.node_modes.items():   # after _open_up, which resets node modes
            p = os.path.join(self.root, n.lstrip('/'))
            if os.path.exists(p):
                os.chmod(p, m)

    def _open_up(self, top):
        # Let clients running as another user (e.g. nobody) use the testbed: it is
        # created 0700, and libudev monitors bind their sockets in its root.
        for d, _dirs, files in os.walk(top):
            os.chmod(d, 0o755)
            for f in files:
                p = os.path.join(d, f)
                if not os.path.islink(p):
                    os.chmod(p, 0o666 if '/ioctl/' in p else 0o644)
        os.chmod(top, 0o1777)

    def write_status(self):
        self.status_file.write({
            'seq': self.applied_seq or 0,
            'umockdevDir': self.root,
            'devices': {d.name: d.status() for d in self.devices},
        })

    def poll(self):
        """Main thread, every few ms: follow the control file, notice closed fds."""
        ctl = self.control.current()
        with self.lock:
            changed = False
            for d in self.devices:
                changed |= d.apply(ctl.device(d.name))
                changed |= d.collect_closed()
            if changed or ctl.seq != self.applied_seq:
                self.applied_seq = ctl.seq
                self.write_status()
