{{ cxux_raw_input('orders') }}
