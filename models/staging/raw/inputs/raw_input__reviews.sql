{{ cxux_raw_input('reviews') }}
