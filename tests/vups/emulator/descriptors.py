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


def _config(interface_class, max_power_2ma, attributes, body):
    interface = struct.pack('<BBBBBBBBB', 9, DT_INTERFACE, 0, 0, 1, interface_class, 0, 0, 0)
    tail = interface + body
    return struct.pack('<BBHBBBBB', 9, DT_CONFIG, 9 + len(tail), 1, 1, 0,
                       attributes, max_power_2ma) + tail


def hid_config_descriptor(report_descriptor_length):
    """Bus powered with remote wakeup (0xa0), 100 mA."""
    endpoint = struct.pack('<BBBBHB', 7, DT_ENDPOINT, 0x81, 3, 8, 10)  # interrupt IN, 8 bytes, 10 ms
    return _config(3, 50, 0xA0, hid_descriptor(report_descriptor_length) + endpoint)


def hub_config_descriptor():
    endpoint = struct.pack('<BBBBHB', 7, DT_ENDPOINT, 0x81, 3, 2, 0xFF)
    return _config(9, 0, 0xE0, endpoint)


def string_descriptor(text):
    data = text.encode('utf-16-le')
    return bytes([2 + len(data), DT_STRING]) + data


def langid_descriptor():
    return struct.pack('<BBH', 4, DT_STRING, LANGID_EN_US)
