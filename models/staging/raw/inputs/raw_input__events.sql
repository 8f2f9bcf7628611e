{{ cxux_raw_input('events') }}
