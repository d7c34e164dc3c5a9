# streamconv: build, test and install like a Unix tool (see README.md "Install").
#
#   make                                  the release binary (.build/release/streamconv)
#   make test                             swift test
#   make install PREFIX=~/.local          binary (stripped), man page, bash/zsh/fish completions
#   make install DESTDIR=/tmp/stage       staged install (packaging): files go under DESTDIR/PREFIX
#   make uninstall PREFIX=~/.local        removes what install put there
#
# Directories can be overridden one by one (BINDIR, MANDIR, BASHCOMPDIR, ZSHCOMPDIR, FISHCOMPDIR).

PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
SWIFT       ?= swift
STRIP       ?= strip
INSTALL     ?= install

RELEASE = $(SWIFT) build -c release --product streamconv
BIN     = .build/release/streamconv

.PHONY: all build test install uninstall clean

all: build

build:
	$(RELEASE)

test:
	$(SWIFT) test

install: build
	$(INSTALL) -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MANDIR)/man1" \
		"$(DESTDIR)$(BASHCOMPDIR)" "$(DESTDIR)$(ZSHCOMPDIR)" "$(DESTDIR)$(FISHCOMPDIR)"
	$(INSTALL) -m 0755 "$(BIN)" "$(DESTDIR)$(BINDIR)/streamconv"
	$(STRIP) "$(DESTDIR)$(BINDIR)/streamconv"
	$(INSTALL) -m 0644 Docs/streamconv.1 "$(DESTDIR)$(MANDIR)/man1/streamconv.1"
	"$(BIN)" --completions bash > "$(DESTDIR)$(BASHCOMPDIR)/streamconv"
	"$(BIN)" --completions zsh > "$(DESTDIR)$(ZSHCOMPDIR)/_streamconv"
	"$(BIN)" --completions fish > "$(DESTDIR)$(FISHCOMPDIR)/streamconv.fish"
	chmod 0644 "$(DESTDIR)$(BASHCOMPDIR)/streamconv" "$(DESTDIR)$(ZSHCOMPDIR)/_streamconv" \
		"$(DESTDIR)$(FISHCOMPDIR)/streamconv.fish"

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/streamconv" "$(DESTDIR)$(MANDIR)/man1/streamconv.1" \
		"$(DESTDIR)$(BASHCOMPDIR)/streamconv" "$(DESTDIR)$(ZSHCOMPDIR)/_streamconv" \
		"$(DESTDIR)$(FISHCOMPDIR)/streamconv.fish"

clean:
	rm -rf .build
