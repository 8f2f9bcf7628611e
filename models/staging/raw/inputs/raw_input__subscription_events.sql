{{ cxux_raw_input('subscription_events') }}
