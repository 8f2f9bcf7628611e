{{ cxux_raw_input('users') }}
