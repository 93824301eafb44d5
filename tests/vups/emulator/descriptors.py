"""USB descriptors (device, configuration, HID, string) as bytes.

A TrippLite UPS is a low-speed USB 1.1 device with one configuration, one HID
interface (class 3, no boot subclass) and one interrupt IN endpoint; the HID
class descriptor (type 0x21) announces the report descriptor's length.
"""
import struct

DT_DEVICE, DT_CONFIG, DT_STRING, DT_INTERFACE, DT_ENDPOINT = 1, 2, 3, 4, 5
DT_HID, DT_REPORT = 0x21, 0x22
LANGID_EN_US = 0x0409
BCD_DEVICE = 0x0002
# String descriptor indexes; 0 in the device descriptor means "no string".
I_MANUFACTURER, I_PRODUCT, I_SERIAL = 1, 2, 3


def device_descriptor(vendor_id, product_id, i_manufacturer, i_product, i_serial,
                      device_class=0, max_packet0=8, bcd_device=BCD_DEVICE):
    return struct.pack('<BBHBBBBHHHBBBB', 18, DT_DEVICE, 0x0110, device_class, 0, 0,
                       max_packet0, vendor_id, product_id, bcd_device,
                       i_manufacturer, i_product, i_serial, 1)


def hid_descriptor(report_descriptor_length):
    """HID 1.11 class descriptor with one report descriptor of the given length."""
    return struct.pack('<BBHBBBH', 9, DT_HID, 0x0111, 0, 1, DT_REPORT, report_descriptor_length)


# The report descriptor of a HID interface that is not the UPS (units such as
# the BR1500LCDT put their Power Device collection on the second interface):
# a vendor-defined page, one 8-byte input report.
OTHER_REPORT_DESCRIPTOR = bytes([
    0x06, 0x00, 0xFF,  # Usage Page (Vendor Defined 0xff00)
    0x09, 0x01,        # Usage (1)
    0xA1, 0x01,        # Collection (Application)
    0x15, 0x00, 0x26, 0xFF, 0x00, 0x75, 0x08, 0x95, 0x08,  # 0..255, 8 x 8 bits
    0x09, 0x01, 0x81, 0x02,  # Usage (1), Input (Data,Var,Abs)
    0xC0,              # End Collection
])


def _interface(number, interface_class, body, endpoints=1):
    return struct.pack('<BBBBBBBBB', 9, DT_INTERFACE, number, 0, endpoints, interface_class,
                       0, 0, 0) + body


def _config(max_power_2ma, attributes, interfaces):
    tail = b''.join(interfaces)
    return struct.pack('<BBHBBBBB', 9, DT_CONFIG, 9 + len(tail), len(interfaces), 1, 0,
                       attributes, max_power_2ma) + tail


def hid_config_descriptor(report_descriptor_lengths):
    """Bus powered with remote wakeup (0xa0), 100 mA; one HID interface per report
    descriptor length, each with an interrupt IN endpoint (0x81, 0x82 ...)."""
    interfaces = []
    for number, length in enumerate(report_descriptor_lengths):
        # interrupt IN, 8 bytes, 10 ms
        endpoint = struct.pack('<BBBBHB', 7, DT_ENDPOINT, 0x81 + number, 3, 8, 10)
        interfaces.append(_interface(number, 3, hid_descriptor(length) + endpoint))
    return _config(50, 0xA0, interfaces)


def hub_config_descriptor():
    endpoint = struct.pack('<BBBBHB', 7, DT_ENDPOINT, 0x81, 3, 2, 0xFF)
    return _config(0, 0xE0, [_interface(0, 9, endpoint)])


def string_descriptor(text):
    data = text.encode('utf-16-le')
    return bytes([2 + len(data), DT_STRING]) + data


def langid_descriptor():
    return struct.pack('<BBH', 4, DT_STRING, LANGID_EN_US)
