{{ cxux_raw_input('accounts') }}
