"""usbdevfs ioctl request numbers and the `struct usbdevfs_urb` layout (x86_64, aarch64)."""
import errno
import struct


def _ioc(direction, nr, size):
    return (direction << 30) | (size << 16) | (ord('U') << 8) | nr


def _io(nr):
    return _ioc(0, nr, 0)


def _iow(nr, size):  # the kernel's _IOW: user space writes, kernel reads
    return _ioc(1, nr, size)


def _ior(nr, size):
    return _ioc(2, nr, size)


def _iowr(nr, size):
    return _ioc(3, nr, size)


URB_SIZE = 56
SETINTERFACE = _ior(4, 8)
SETCONFIGURATION = _ior(5, 4)
GETDRIVER = _iow(8, 260)
SUBMITURB = _ior(10, URB_SIZE)
DISCARDURB = _io(11)
REAPURB = _iow(12, 8)
REAPURBNDELAY = _iow(13, 8)
CLAIMINTERFACE = _ior(15, 4)
RELEASEINTERFACE = _ior(16, 4)
IOCTL = _iowr(18, 16)
RESET = _io(20)
CLEAR_HALT = _ior(21, 4)
DISCONNECT = _io(22)
CONNECT = _io(23)
GET_CAPABILITIES = _ior(26, 4)
DISCONNECT_CLAIM = _ior(27, 264)
GET_SPEED = _io(31)

NAMES = {v: k for k, v in dict(globals()).items() if k.isupper() and isinstance(v, int)
         and k != 'URB_SIZE'}

# ZERO_PACKET | BULK_CONTINUATION | NO_PACKET_SIZE_LIM | REAP_AFTER_DISCONNECT
CAPABILITIES = 0x01 | 0x02 | 0x04 | 0x10
# struct usbdevfs_disconnect_claim flags
DISCONNECT_CLAIM_IF_DRIVER = 0x01
DISCONNECT_CLAIM_EXCEPT_DRIVER = 0x02

URB_TYPE_INTERRUPT = 1
URB_TYPE_CONTROL = 2
URB_STATUS_OFFSET = 4
URB_BUFFER_OFFSET = 16
URB_ACTUAL_LENGTH_OFFSET = 28
USB_SPEED_LOW = 1


def parse_urb(raw):
    """(type, endpoint, buffer_length) of a submitted URB."""
    utype, endpoint = raw[0], raw[1]
    (buffer_length,) = struct.unpack_from('<i', raw, 24)
    return utype, endpoint, buffer_length


def finish_urb(urb, status, actual_length):
    """Write an URB's completion status (0 or -errno) and actual length."""
    urb.update(URB_STATUS_OFFSET, struct.pack('<i', status))
    urb.update(URB_ACTUAL_LENGTH_OFFSET, struct.pack('<i', actual_length))


# URB completion statuses the dump's `errors` map can ask for (libusb's mapping of
# the kernel status, reversed). LIBUSB_ERROR_TIMEOUT is served by never answering.
URB_STATUS_FOR_ERROR = {
    'LIBUSB_ERROR_PIPE': -errno.EPIPE,
    'LIBUSB_ERROR_IO': -errno.EPROTO,
    'LIBUSB_ERROR_OVERFLOW': -errno.EOVERFLOW,
    'LIBUSB_ERROR_NO_DEVICE': -errno.ENODEV,
}
