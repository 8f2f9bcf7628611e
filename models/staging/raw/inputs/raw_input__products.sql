{{ cxux_raw_input('products') }}
