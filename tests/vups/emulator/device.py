"""One emulated UPS: usbfs semantics for a dump, served through umockdev's ioctl socket.

Everything that touches device state runs under the emulator-wide lock: the
ioctl handler (umockdev's worker thread) and plug/unplug (the main thread).
The handler never blocks: it completes every ioctl at once, except the
EAGAIN answers to reaps while an URB is outstanding, which a helper thread
sends a little later (the config's `reapThrottleMs`, see `Deferred`).
"""
import errno
import struct
import sys
import traceback

import gi

gi.require_version('UMockdev', '1.0')
from gi.repository import UMockdev  # noqa: E402

from . import usbfs  # noqa: E402
from .descriptors import (DT_CONFIG, DT_DEVICE, DT_HID, DT_REPORT, DT_STRING,  # noqa: E402
                          I_MANUFACTURER, I_PRODUCT, I_SERIAL, OTHER_REPORT_DESCRIPTOR,
                          device_descriptor, hid_config_descriptor, hid_descriptor,
                          langid_descriptor, string_descriptor)
from .topology import devnode, record_text, ups_records  # noqa: E402


class Client:
    """One open file descriptor on the device node."""

    def __init__(self, ioctl_client, fd_id, devnum):
        self.ioctl_client = ioctl_client   # keeps the GObject alive until we saw it close
        self.fd_id = fd_id
        self.devnum = devnum
        self.dead = False     # opened before an unplug: ENODEV forever (reaping aside)
        self.ready = []       # completed URBs to reap: (client address, urb, buffer)
        self.parked = []      # URBs that only complete when discarded or unplugged
        self.throttled_reaps = 0  # EAGAIN answers held back while an URB was parked


class Call:
    """One ioctl invocation. Completes at most once: a second complete() would trip
    umockdev's assertion and take the emulator, and so every client, down."""

    def __init__(self, ioctl_client):
        self.ic = ioctl_client
        self.completed = False

    def get_request(self):
        return self.ic.get_request()

    def get_arg(self):
        return self.ic.get_arg()

    def complete(self, result, err):
        if not self.completed:
            self.completed = True
            self.ic.complete(result, err)

    def complete_later(self, deferred, delay, result, err):
        if not self.completed:
            self.completed = True
            deferred.later(delay, self.ic.complete, result, err)


class UsbfsHandler(UMockdev.IoctlBase):
    """umockdev's per-node ioctl handler; forwards to the device."""

    def __init__(self, device, devnum):
        super().__init__()
        self.device = device
        self.devnum = devnum

    def do_client_connected(self, client):
        self.device.on_open(client, self.devnum)

    def do_handle_ioctl(self, client):
        return self.device.on_ioctl(client, self.devnum)


class EmulatedUps:
    """One UPS built from a dump, plugged in at a bus/port path."""

    def __init__(self, emulator, path, dump, kernel_driver, devnode_mode, empty_serial,
                 ups_interface=0):
        self.emu = emulator
        self.path = path
        self.name = path.name
        self.dump = dump
        self.default_driver = kernel_driver
        self.devnode_mode = devnode_mode
        self.strings = {}
        for idx, text in ((I_MANUFACTURER, dump.manufacturer), (I_PRODUCT, dump.product),
                          (I_SERIAL, dump.serial)):
            if text or (idx == I_SERIAL and empty_serial == 'empty'):
                self.strings[idx] = text
        self.device_desc = device_descriptor(
            dump.vendor_id, dump.product_id, *(i if i in self.strings else 0
                                               for i in (I_MANUFACTURER, I_PRODUCT, I_SERIAL)))
        # Interface `ups_interface` carries the dump; the ones before it are other
        # HID interfaces (OTHER_REPORT_DESCRIPTOR), as on units whose Power Device
        # collection sits on the second interface.
        self.ups_interface = ups_interface
        self.report_descriptors = [OTHER_REPORT_DESCRIPTOR] * ups_interface + [
            dump.report_descriptor]
        self.interfaces = list(range(ups_interface + 1))
        lengths = [len(d or b'') for d in self.report_descriptors]
        self.config_desc = hid_config_descriptor(lengths)
        self.hid_descs = [hid_descriptor(n) for n in lengths]
        self.clients = {}          # id(IoctlClient) -> Client
        self.handlers = []         # every handler ever attached stays alive (old fds use it)
        self.next_fd_id = 1
        self.devnum = None
        self.present = False
        self.in_sysfs = False
        self.interface_sysfs = []
        self.drivers = {}          # interface -> bound kernel driver (None: none)
        self.claims = {}           # interface -> Client holding it through usbfs
        self.written = {}          # report id -> bytes of the last SET_REPORT (feature)

    # ------------------------------------------------------------------ status
    @property
    def driver(self):
        """The kernel driver bound to the UPS interface."""
        return self.drivers.get(self.ups_interface)

    def status(self):
        return {
            'connected': self.present, 'busnum': self.path.bus, 'devnum': self.devnum,
            'devnode': devnode(self.path.bus, self.devnum) if self.devnum else None,
            'kernelDriver': self.driver,
            'claimed': self.claims.get(self.ups_interface) is not None,
            'interfaces': {str(i): {'kernelDriver': self.drivers.get(i),
                                    'claimed': self.claims.get(i) is not None}
                           for i in self.interfaces},
            'openFds': sum(1 for c in self.clients.values() if not c.dead),
        }

    def event(self, name, **fields):
        self.emu.events.emit(self.name, name, **fields)

    # ------------------------------------------------- plug / unplug (main thread)
    def plug(self):
        """Appear in sysfs and /dev with a fresh device number; usbhid binds."""
        self.devnum = self.emu.devnums.take(self.path.bus)
        # usbhid, when it binds, has read each interface's report descriptor
        bound = [d if self.default_driver is not None else None for d in self.report_descriptors]
        lines, self.interface_sysfs = ups_records(
            self.path, self.devnum, self.dump, self.device_desc + self.config_desc,
            self.strings, len(self.interfaces), bound)
        # add_from_string sends the "add" uevents (we run under the preload)
        self.emu.testbed.add_from_string(record_text(lines))
        handler = UsbfsHandler(self, self.devnum)
        self.handlers.append(handler)
        node = devnode(self.path.bus, self.devnum)
        self.emu.testbed.attach_ioctl(node, handler)
        self.emu.node_added(node, self.devnode_mode)
        self.in_sysfs = True
        self.present = True
        self.bind_all()
        self.event('plug', devnum=self.devnum, kernelDriver=self.driver)

    def bind_all(self):
        """The kernel binds its driver to every interface (plug, replug)."""
        self.drivers = {i: self.default_driver for i in self.interfaces}

    def unplug(self, mode):
        self.present = False
        self.drivers = {}
        self.claims = {}
        for c in self.clients.values():
            c.dead = True
            # in-flight URBs: the host controller gives them back with -ESHUTDOWN
            for item in c.parked:
                usbfs.finish_urb(item[1], -errno.ESHUTDOWN, 0)
                c.ready.append(item)
            c.parked.clear()
        if mode == 'remove':
            # umockdev's remove_device() sends no uevent and leaves the interface's
            # links behind: remove the interface first, with uevents, kernel order.
            for p in [*reversed(self.interface_sysfs), self.path.sysfs]:
                self.emu.testbed.uevent('/sys' + p, 'remove')
                self.emu.testbed.remove_device('/sys' + p)
            self.in_sysfs = False
            self.emu.devnums.release(self.path.bus, self.devnum)
        self.event('unplug', mode=mode, devnum=self.devnum)

    def replug(self):
        if self.in_sysfs:    # enodev / eshutdown: the sysfs entry never went away
            self.present = True
            self.bind_all()
            self.event('plug', devnum=self.devnum, kernelDriver=self.driver)
        else:
            self.plug()

    def apply(self, ctl):
        """Main thread: follow the control file's `connected`. True when changed."""
        if self.present and not ctl.connected:
            self.unplug(ctl.disconnect_mode)
            return True
        if not self.present and ctl.connected:
            self.replug()
            return True
        return False

    def collect_closed(self):
        """Main thread: forget closed fds; the kernel drops their claims."""
        changed = False
        for key, c in list(self.clients.items()):
            if not c.ioctl_client.get_connected():
                del self.clients[key]
                for ifno, holder in list(self.claims.items()):
                    if holder is c:
                        del self.claims[ifno]
                        self.event('release', fd=c.fd_id, interface=ifno, implicit=True)
                self.event('close', fd=c.fd_id)
                changed = True
        return changed

    # ------------------------------------------------------- worker thread
    def on_open(self, ioctl_client, devnum):
        with self.emu.lock:
            self._client(ioctl_client, devnum)

    def _client(self, ioctl_client, devnum):
        key = id(ioctl_client)
        c = self.clients.get(key)
        if c is None:
            c = Client(ioctl_client, self.next_fd_id, devnum)
            self.next_fd_id += 1
            # an fd on a node that is gone, or on an unplugged device, is dead from the start
            c.dead = devnum != self.devnum or not self.present
            self.clients[key] = c
            self.event('open', fd=c.fd_id, devnum=devnum)
            self.emu.write_status()
        return c

    def on_ioctl(self, ioctl_client, devnum):
        call = Call(ioctl_client)
        try:
            with self.emu.lock:
                c = self._client(ioctl_client, devnum)
                self._ioctl(call, c)
        except Exception:  # never let an exception escape into GLib: the client would hang
            traceback.print_exc(file=sys.stderr)
            call.complete(-1, errno.EIO)
        return True

    def _ioctl(self, ic, c):
        req = ic.get_request()
        arg = ic.get_arg()
        ctl = self.emu.control.current().device(self.name)
        # While unplugged in "eshutdown" mode, URBs are taken and fail with -ESHUTDOWN
        # (what in-flight URBs get); otherwise a gone device fails every ioctl with
        # ENODEV, for good on fds opened before the unplug. Reaping still works.
        eshutdown = not self.present and ctl.disconnect_mode == 'eshutdown'
        gone = c.dead or not self.present
        if req in (usbfs.REAPURBNDELAY, usbfs.REAPURB):
            return self._reap(ic, c, arg, gone)
        if req == usbfs.SUBMITURB and eshutdown:
            return self._submit(ic, c, arg, ctl, eshutdown=True)
        if gone:
            return ic.complete(-1, errno.ENODEV)
        if req == usbfs.SUBMITURB:
            return self._submit(ic, c, arg, ctl, eshutdown=False)
        if req == usbfs.DISCARDURB:
            return self._discard(ic, c, arg)
        if req == usbfs.GET_CAPABILITIES:
            arg.resolve(0, 4).update(0, struct.pack('<I', usbfs.CAPABILITIES))
            return ic.complete(0, 0)
        if req == usbfs.CLAIMINTERFACE:
            return self._done(ic, self._claim(c, self._u32(arg)))
        if req == usbfs.RELEASEINTERFACE:
            return self._done(ic, self._release(c, self._u32(arg)))
        if req == usbfs.GETDRIVER:
            return self._getdriver(ic, arg)
        if req == usbfs.IOCTL:
            ifno, code = struct.unpack('<ii', arg.resolve(0, 16).retrieve()[:8])
            if code == usbfs.DISCONNECT:
                return self._done(ic, self._detach(c, ifno))
            if code == usbfs.CONNECT:
                err = self._attach(c, ifno)
                # the kernel returns 1 when a driver bound, 0 when none did (libusb
                # reports the latter as LIBUSB_ERROR_NOT_FOUND)
                return ic.complete(-1 if err else int(self.driver is not None), err)
            return ic.complete(-1, errno.ENOTTY)
        if req == usbfs.DISCONNECT_CLAIM:
            return self._done(ic, self._disconnect_claim(c, arg.resolve(0, 264).retrieve()))
        if req == usbfs.GET_SPEED:
            return ic.complete(usbfs.USB_SPEED_LOW, 0)
        if req == usbfs.RESET:
            self.event('reset', fd=c.fd_id)
            return ic.complete(0, 0)
        if req in (usbfs.SETINTERFACE, usbfs.SETCONFIGURATION, usbfs.CLEAR_HALT):
            return ic.complete(0, 0)
        self.event('ioctl', fd=c.fd_id, request=usbfs.NAMES.get(req, hex(req)), result='ENOTTY')
        return ic.complete(-1, errno.ENOTTY)

    @staticmethod
    def _u32(arg):
        return struct.unpack('<I', arg.resolve(0, 4).retrieve()[:4])[0]

    @staticmethod
    def _done(ic, err):
        ic.complete(-1 if err else 0, err)

    # interface claims and the kernel driver --------------------------------
    def _holder_alive(self, c, ifno):
        h = self.claims.get(ifno)
        if h is not None and h is not c and not h.ioctl_client.get_connected():
            del self.claims[ifno]    # its fd is closed: the kernel dropped the claim
        return self.claims.get(ifno)

    def _claim(self, c, ifno, auto=False, via=None):
        """Claim for fd `c`; `auto`: usbfs claiming on the fly for a control request."""
        if ifno not in self.interfaces:
            return errno.ENOENT
        holder = self._holder_alive(c, ifno)
        if holder is c:
            return 0
        if self.drivers.get(ifno) or holder:
            if not auto:   # a failed auto-claim shows as the control request's result
                self.event('claim', fd=c.fd_id, interface=ifno, result='EBUSY')
            return errno.EBUSY
        self.claims[ifno] = c
        extra = {'auto': True} if auto else {'via': via} if via else {}
        self.event('claim', fd=c.fd_id, interface=ifno, result='ok', **extra)
        self.emu.write_status()
        return 0

    def _release(self, c, ifno):
        if self.claims.get(ifno) is not c:
            return errno.EINVAL
        del self.claims[ifno]
        self.event('release', fd=c.fd_id, interface=ifno)
        self.emu.write_status()
        return 0

    def _getdriver(self, ic, arg):
        d = arg.resolve(0, 260)
        ifno = struct.unpack('<I', d.retrieve()[:4])[0]
        name = None
        if ifno in self.interfaces:
            name = self.drivers.get(ifno) or ('usbfs' if self._holder_alive(None, ifno) else None)
        if name is None:
            return ic.complete(-1, errno.ENODATA if ifno in self.interfaces else errno.EINVAL)
        d.update(4, name.encode() + b'\0')
        return ic.complete(0, 0)

    def _detach(self, c, ifno):
        if ifno not in self.interfaces:
            return errno.EINVAL
        if self.drivers.get(ifno):
            detached, self.drivers[ifno] = self.drivers[ifno], None
        elif self._holder_alive(c, ifno):
            detached = 'usbfs'
            del self.claims[ifno]
        else:
            self.event('detach', fd=c.fd_id, interface=ifno, result='ENODATA')
            return errno.ENODATA
        self.event('detach', fd=c.fd_id, interface=ifno, driver=detached, result='ok',
                   kernelDriver=None)
        self.emu.write_status()
        return 0

    def _attach(self, c, ifno):
        if ifno not in self.interfaces:
            return errno.EINVAL
        if self.drivers.get(ifno) or self._holder_alive(c, ifno):
            self.event('attach', fd=c.fd_id, interface=ifno, result='EBUSY',
                       kernelDriver=self.drivers.get(ifno))
            return errno.EBUSY
        self.drivers[ifno] = self.default_driver   # the kernel probes: the default driver binds
        self.event('attach', fd=c.fd_id, interface=ifno, driver=self.drivers[ifno], result='ok',
                   kernelDriver=self.drivers[ifno])
        self.emu.write_status()
        return 0

    def _disconnect_claim(self, c, raw):
        ifno, flags = struct.unpack_from('<II', raw)
        want = raw[8:].split(b'\0', 1)[0].decode(errors='replace')
        if ifno not in self.interfaces:
            return errno.EINVAL
        via = 'disconnect_claim'
        holder = self._holder_alive(c, ifno)
        if holder is not None and holder is not c:
            self.event('claim', fd=c.fd_id, interface=ifno, result='EBUSY', via=via)
            return errno.EBUSY
        driver = self.drivers.get(ifno)
        if driver:
            if ((flags & usbfs.DISCONNECT_CLAIM_IF_DRIVER and driver != want) or
                    (flags & usbfs.DISCONNECT_CLAIM_EXCEPT_DRIVER and driver == want)):
                self.event('claim', fd=c.fd_id, interface=ifno, result='EBUSY', via=via)
                return errno.EBUSY
            self.drivers[ifno] = None
            self.event('detach', fd=c.fd_id, interface=ifno, driver=driver, result='ok',
                       kernelDriver=None, via=via)
        return self._claim(c, ifno, via=via)

    # URBs -------------------------------------------------------------------
    def _submit(self, ic, c, arg, ctl, eshutdown):
        addr = struct.unpack('<Q', arg.retrieve()[:8])[0]   # read before resolve() rewrites it
        urb = arg.resolve(0, usbfs.URB_SIZE)
        utype, endpoint, buflen = usbfs.parse_urb(urb.retrieve())
        buf = urb.resolve(usbfs.URB_BUFFER_OFFSET, buflen) if buflen > 0 else None
        item = (addr, urb, buf)
        if (utype == usbfs.URB_TYPE_INTERRUPT and endpoint in
                [0x81 + i for i in self.interfaces] and not eshutdown):
            c.parked.append(item)             # no interrupt reports: waits until discarded
            return ic.complete(0, 0)
        if utype != usbfs.URB_TYPE_CONTROL and not eshutdown:
            return ic.complete(-1, errno.EINVAL)
        if utype == usbfs.URB_TYPE_CONTROL and buflen < 8:
            return ic.complete(-1, errno.EINVAL)
        raw = buf.retrieve() if buf is not None else b''
        setup = raw[:8]
        if eshutdown:
            if len(setup) == 8:
                self._log_control(c, setup, 'ESHUTDOWN')
            usbfs.finish_urb(urb, -errno.ESHUTDOWN, 0)
            c.ready.append(item)
            return ic.complete(0, 0)
        bm, breq, wvalue, windex, wlength = struct.unpack('<BBHHH', setup)
        if bm & 0x60 != 0x40 and bm & 0x1F == 1:
            # Like the kernel's check_ctrlrecip(): a request to an interface needs the
            # interface claimed; usbfs claims it on the fly if it is free, else the
            # submit fails (EBUSY while usbhid holds it; libusb: LIBUSB_ERROR_IO).
            err = self._claim(c, windex & 0xFF, auto=True)
            if err:
                self._log_control(c, setup, 'submit:' + errno.errorcode[err])
                return ic.complete(-1, err)
        kind, value = self._answer(ctl, bm, breq, wvalue, windex, wlength, raw[8:8 + wlength])
        if kind == 'hang':
            self._log_control(c, setup, 'hang')
            c.parked.append(item)
            return ic.complete(0, 0)
        if kind == 'data':
            data = value[:wlength] if bm & 0x80 else b''
            if data:
                buf.update(8, data)
            usbfs.finish_urb(urb, 0, len(data) if bm & 0x80 else wlength)
            extra = {'data': raw[8:8 + wlength].hex(' ')} if not bm & 0x80 else {'length': len(data)}
            self._log_control(c, setup, 'ok', **extra)
        else:   # ('status', -errno)
            usbfs.finish_urb(urb, value, 0)
            self._log_control(c, setup, 'stall' if value == -errno.EPIPE
                              else errno.errorcode[-value])
        c.ready.append(item)
        return ic.complete(0, 0)

    def _log_control(self, c, setup, result, **extra):
        bm, breq, wvalue, windex, wlength = struct.unpack('<BBHHH', setup)
        self.event('control', fd=c.fd_id, bmRequestType=bm, bRequest=breq, wValue=wvalue,
                   wIndex=windex, wLength=wlength, result=result, **extra)

    def _discard(self, ic, c, arg):
        addr = struct.unpack('<Q', arg.retrieve()[:8])[0]
        for i, item in enumerate(c.parked):
            if item[0] == addr:
                del c.parked[i]
                usbfs.finish_urb(item[1], -errno.ENOENT, 0)
                c.ready.append(item)
                self.event('discard', fd=c.fd_id, throttledReaps=c.throttled_reaps)
                return ic.complete(0, 0)
        return ic.complete(-1, errno.EINVAL)   # unknown or already completed

    def _reap(self, ic, c, arg, gone):
        if c.ready:
            _, urb, _ = c.ready.pop(0)
            arg.resolve(0, 8).set_ptr(0, urb)
            return ic.complete(0, 0)
        if gone:
            return ic.complete(-1, errno.ENODEV)
        if c.parked and self.emu.reap_throttle > 0:
            # The kernel's poll() would sleep until an URB completes; this node's
            # never does (a regular file), so libusb would spin: hold the answer back.
            c.throttled_reaps += 1
            return ic.complete_later(self.emu.deferred, self.emu.reap_throttle, -1, errno.EAGAIN)
        return ic.complete(-1, errno.EAGAIN)

    # control requests ------------------------------------------------------
    STANDARD_NO_DATA = {(0x00, 0x09), (0x01, 0x0B), (0x02, 0x01), (0x00, 0x01), (0x00, 0x03)}

    def _answer(self, ctl, bm, breq, wvalue, windex, wlength, out_data):
        """('data', bytes) | ('status', -errno) | ('hang', None) for one request."""
        dtype, index = wvalue >> 8, wvalue & 0xFF
        stall = ('status', -errno.EPIPE)
        if bm == 0x80 and breq == 0x06:                      # GET_DESCRIPTOR (device)
            if dtype == DT_DEVICE:
                return 'data', self.device_desc
            if dtype == DT_CONFIG and index == 0:
                return 'data', self.config_desc
            if dtype == DT_STRING:
                if index == 0:
                    return 'data', langid_descriptor()
                if index in self.strings:
                    return 'data', string_descriptor(self.strings[index])
            return stall
        if bm == 0x81 and breq == 0x06 and windex in self.interfaces:  # GET_DESCRIPTOR (iface)
            if dtype == DT_REPORT and self.report_descriptors[windex] is not None:
                return 'data', self.report_descriptors[windex]
            if dtype == DT_HID:
                return 'data', self.hid_descs[windex]
            return stall
        if bm in (0x80, 0x81, 0x82) and breq == 0x00:         # GET_STATUS
            return 'data', b'\x00\x00'
        if bm == 0x80 and breq == 0x08:                      # GET_CONFIGURATION
            return 'data', b'\x01'
        if (bm, breq) in self.STANDARD_NO_DATA:              # SET_CONFIGURATION, ...
            return 'data', b''
        if bm & 0x7F == 0x21 and windex == self.ups_interface:   # HID class, the UPS
            return self._hid_request(ctl, bm, breq, dtype, index, out_data)
        if bm == 0xA1 and breq == 0x01:                      # GET_REPORT, another interface
            return stall
        return stall

    def _hid_request(self, ctl, bm, breq, rtype, rid, out_data):
        stall = ('status', -errno.EPIPE)
        if bm == 0xA1 and breq == 0x01:                      # GET_REPORT
            if rid in ctl.stall:
                return stall
            if rid in ctl.hang:
                return 'hang', None
            live = {1: ctl.input_reports, 3: ctl.feature_reports}.get(rtype, {})
            saved = {1: self.dump.input_reports, 3: self.dump.feature_reports}.get(rtype, {})
            if rid in live:
                return 'data', live[rid]
            if rtype == 3 and rid in self.written:       # a written value reads back
                return 'data', self.written[rid]
            if rid in saved:
                return 'data', saved[rid]
            err = self.dump.errors.get(rid)
            if err == 'LIBUSB_ERROR_TIMEOUT':
                return 'hang', None
            return 'status', usbfs.URB_STATUS_FOR_ERROR.get(err, -errno.EPIPE)
        if bm == 0x21 and breq == 0x09 and rtype == 3:        # SET_REPORT (feature)
            self.written[rid] = bytes(out_data)
            return 'data', b''
        if bm == 0x21 and breq in (0x09, 0x0A, 0x0B):          # SET_REPORT/IDLE/PROTOCOL
            return 'data', b''
        if bm == 0xA1 and breq == 0x02:                      # GET_IDLE
            return 'data', b'\x00'
        if bm == 0xA1 and breq == 0x03:                      # GET_PROTOCOL: report protocol
            return 'data', b'\x01'
        return stall
