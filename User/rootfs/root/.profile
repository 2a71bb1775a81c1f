# root's own settings for the login shell, read after /etc/profile (as on Debian).
alias ll='ls -l'
