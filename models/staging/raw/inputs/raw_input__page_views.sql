{{ cxux_raw_input('page_views') }}
