"""gunicorn settings, read automatically when gunicorn starts in this folder (also in production).

The access log leaves out query strings (%(U)s is the path alone): search words and guide answers
in a query string may reveal a person's situation, and logs must not carry personal data.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", min(4, multiprocessing.cpu_count() * 2)))
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
