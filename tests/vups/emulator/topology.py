"""USB topology: bus/port paths such as `1-1.4`, device numbers, umockdev records.

The path decides the sysfs name (`1-1.4`), the bus number (1) and the port
chain (1, 4). libusb finds a device's parent by cutting the name at its last
'.' or '-' (`1-1.4` -> `1-1`, `1-1` -> root hub `usb1`), so every hub on the
way must exist as a device too: `hub_paths()` lists them.
"""
import re
import struct
from dataclasses import dataclass

from .descriptors import device_descriptor, hub_config_descriptor
from .dump import ConfigError

CONTROLLER = '/devices/pci0000:00/0000:00:14.0'
USB_MAJOR = 189
ROOT_HUB_VID, ROOT_HUB_PID = 0x1d6b, 0x0001  # Linux Foundation 1.1 root hub
PATH_RE = re.compile(r'^([1-9][0-9]{0,2})-([1-9][0-9]?(?:\.[1-9][0-9]?){0,6})$')


@dataclass(frozen=True)
class UsbPath:
    bus: int
    ports: tuple

    @property
    def name(self):
        """The sysfs name and the project's device path, e.g. `1-1.4`."""
        return '%d-%s' % (self.bus, '.'.join(str(p) for p in self.ports))

    @property
    def parent(self):
        """The hub this device hangs off, None for a root hub port."""
        return UsbPath(self.bus, self.ports[:-1]) if len(self.ports) > 1 else None

    @property
    def sysfs(self):
        """Device directory under /sys, without the /sys prefix."""
        parts = ['usb%d' % self.bus]
        for i in range(1, len(self.ports) + 1):
            parts.append(UsbPath(self.bus, self.ports[:i]).name)
        return CONTROLLER + '/' + '/'.join(parts)


def parse_usb_path(text, where):
    m = PATH_RE.match(text) if isinstance(text, str) else None
    if not m:
        raise ConfigError('%s: bad USB path %s (expected bus-port[.port...], e.g. "1-1.4")'
                          % (where, repr(text)))
    bus = int(m.group(1))
    if bus > 127:
        raise ConfigError('%s: bus number %d out of range' % (where, bus))
    return UsbPath(bus, tuple(int(p) for p in m.group(2).split('.')))


def hub_paths(device_paths):
    """Every intermediate hub needed by the given device paths, parents first."""
    hubs = set()
    for p in device_paths:
        q = p.parent
        while q is not None:
            hubs.add(q)
            q = q.parent
    clash = hubs & set(device_paths)
    if clash:
        raise ConfigError('device path %s is also the hub of another device'
                          % sorted(c.name for c in clash)[0])
    return sorted(hubs, key=lambda h: (h.bus, len(h.ports), h.ports))


class DevnumAllocator:
    """Device numbers per bus like the kernel: 1 is the root hub, then the next free
    number, wrapping after 127 (so a re-plugged device gets a new number)."""

    def __init__(self):
        self.used = {}   # bus -> set of numbers in use
        self.last = {}   # bus -> last number handed out

    def take(self, bus):
        used = self.used.setdefault(bus, {1})
        n = self.last.get(bus, 1)
        for _ in range(127):
            n = n + 1 if n < 127 else 2
            if n not in used:
                used.add(n)
                self.last[bus] = n
                return n
        raise ConfigError('bus %d: more than 126 devices' % bus)

    def release(self, bus, n):
        self.used.get(bus, set()).discard(n)


def devnode(bus, devnum):
    return '/dev/bus/usb/%03d/%03d' % (bus, devnum)


def _minor(bus, devnum):
    return (bus - 1) * 128 + devnum - 1


def _attr_lines(attrs):
    # Real sysfs text attributes end in a newline ("\n" escaped in the record format).
    return ['A: %s=%s\\n' % (k, v) for k, v in attrs.items()]


def _usb_device_record(sysfs, bus, devnum, descriptors, attrs, props):
    node = devnode(bus, devnum)
    h = descriptors.hex().upper()
    base_attrs = {
        'authorized': '1', 'bConfigurationValue': '1', 'bNumConfigurations': '1',
        'bNumInterfaces': ' 1', 'busnum': str(bus), 'devnum': str(devnum),
        'rx_lanes': '1', 'tx_lanes': '1', 'version': ' 1.10', 'quirks': '0x0',
        'avoid_reset_quirk': '0', 'configuration': '',
    }
    base_attrs.update(attrs)
    base_props = {
        'DEVNAME': node, 'DEVTYPE': 'usb_device', 'DRIVER': 'usb', 'SUBSYSTEM': 'usb',
        'BUSNUM': '%03d' % bus, 'DEVNUM': '%03d' % devnum,
        'MAJOR': str(USB_MAJOR), 'MINOR': str(_minor(bus, devnum)),
    }
    base_props.update(props)
    lines = ['P: ' + sysfs, 'N: %s=%s' % (node[len('/dev/'):], h)]
    lines += ['E: %s=%s' % kv for kv in base_props.items()]
    lines += ['A: dev=%d:%d' % (USB_MAJOR, _minor(bus, devnum))]
    lines += _attr_lines(base_attrs)
    lines += ['H: descriptors=' + h]
    return lines


def root_hub_record(bus, maxchild):
    dd = device_descriptor(ROOT_HUB_VID, ROOT_HUB_PID, 3, 2, 1, device_class=9, max_packet0=64,
                           bcd_device=0x0606)
    attrs = {
        'bDeviceClass': '09', 'bDeviceSubClass': '00', 'bDeviceProtocol': '00',
        'bMaxPacketSize0': '64', 'bcdDevice': '0606', 'bmAttributes': 'e0', 'bMaxPower': '0mA',
        'idVendor': '%04x' % ROOT_HUB_VID, 'idProduct': '%04x' % ROOT_HUB_PID,
        'devpath': '0', 'maxchild': str(maxchild), 'speed': '12', 'removable': 'unknown',
        'manufacturer': 'Linux umockdev ohci_hcd', 'product': 'OHCI PCI host controller',
        'serial': '0000:00:14.0',
    }
    props = {'PRODUCT': '1d6b/1/606', 'TYPE': '9/0/0'}
    return _usb_device_record(CONTROLLER + '/usb%d' % bus, bus, 1, dd + hub_config_descriptor(),
                              attrs, props)


def hub_record(path, devnum, maxchild):
    """A plain full-speed 4..7 port hub (as a UPS may sit behind one)."""
    vid, pid = 0x05e3, 0x0608
    dd = device_descriptor(vid, pid, 0, 1, 0, device_class=9, max_packet0=64, bcd_device=0x6060)
    attrs = {
        'bDeviceClass': '09', 'bDeviceSubClass': '00', 'bDeviceProtocol': '00',
        'bMaxPacketSize0': '64', 'bcdDevice': '6060', 'bmAttributes': 'e0', 'bMaxPower': '100mA',
        'idVendor': '%04x' % vid, 'idProduct': '%04x' % pid, 'product': 'USB2.0 Hub',
        'devpath': '.'.join(str(p) for p in path.ports), 'maxchild': str(maxchild),
        'speed': '12', 'removable': 'unknown',
    }
    props = {'PRODUCT': '%x/%x/6060' % (vid, pid), 'TYPE': '9/0/0'}
    return _usb_device_record(path.sysfs, path.bus, devnum, dd + hub_config_descriptor(),
                              attrs, props)


def ups_records(path, devnum, dump, descriptors, strings, interfaces=1, hid_descriptors=()):
    """The UPS device and its HID interface children `<name>:1.0`, `<name>:1.1` ...

    `hid_descriptors[i]`: the report descriptor of interface i when usbhid has
    it bound (None: not bound, or the unit would not give it), published as
    the kernel does, in the HID device under the interface
    (`<name>:1.0/0003:09AE:2012.0001/report_descriptor`)."""
    (i_manufacturer, i_product, i_serial) = struct.unpack_from('<BBB', descriptors, 14)
    attrs = {
        'bDeviceClass': '00', 'bDeviceSubClass': '00', 'bDeviceProtocol': '00',
        'bMaxPacketSize0': '8', 'bcdDevice': '0002', 'bmAttributes': 'a0', 'bMaxPower': '100mA',
        'idVendor': '%04x' % dump.vendor_id, 'idProduct': '%04x' % dump.product_id,
        'devpath': '.'.join(str(p) for p in path.ports), 'maxchild': '0',
        'speed': '1.5', 'removable': 'removable',
    }
    # Like the kernel: a string attribute exists only when the descriptor names a string.
    for name, idx in (('manufacturer', i_manufacturer), ('product', i_product),
                      ('serial', i_serial)):
        if idx:
            attrs[name] = strings[idx]
    props = {
        'PRODUCT': '%x/%x/2' % (dump.vendor_id, dump.product_id), 'TYPE': '0/0/0',
        'ID_VENDOR_ID': '%04x' % dump.vendor_id, 'ID_MODEL_ID': '%04x' % dump.product_id,
        'ID_BUS': 'usb', 'ID_USB_INTERFACES': ':030000:',
    }
    attrs['bNumInterfaces'] = '%2d' % interfaces
    lines = _usb_device_record(path.sysfs, path.bus, devnum, descriptors, attrs, props)
    records = []
    for number in range(interfaces):
        interface = path.sysfs + '/%s:1.%d' % (path.name, number)
        records.append(interface)
        lines += ['', 'P: ' + interface, 'E: DEVTYPE=usb_interface', 'E: SUBSYSTEM=usb',
                  'E: PRODUCT=%x/%x/2' % (dump.vendor_id, dump.product_id), 'E: INTERFACE=3/0/0',
                  'E: MODALIAS=usb:v%04Xp%04Xd0002dc00dsc00dp00ic03isc00ip00in%02X'
                  % (dump.vendor_id, dump.product_id, number)]
        lines += _attr_lines({
            'bAlternateSetting': ' 0', 'bInterfaceClass': '03',
            'bInterfaceNumber': '%02x' % number,
            'bInterfaceProtocol': '00', 'bInterfaceSubClass': '00', 'bNumEndpoints': '01',
            'authorized': '1', 'supports_autosuspend': '1',
        })
        rdesc = hid_descriptors[number] if number < len(hid_descriptors) else None
        if rdesc is not None:
            hid = interface + '/0003:%04X:%04X.%04X' % (dump.vendor_id, dump.product_id,
                                                        devnum * 16 + number)
            records.append(hid)
            lines += ['', 'P: ' + hid, 'E: SUBSYSTEM=hid', 'E: DRIVER=hid-generic',
                      'E: HID_ID=0003:%08X:%08X' % (dump.vendor_id, dump.product_id),
                      'H: report_descriptor=' + rdesc.hex().upper()]
    return lines, records


def record_text(lines):
    return '\n'.join(lines) + '\n'
