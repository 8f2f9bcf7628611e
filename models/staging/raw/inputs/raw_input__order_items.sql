{{ cxux_raw_input('order_items') }}
