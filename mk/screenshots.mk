# The README's pictures of the page, the live page (/lab/) and the reports, taken by the browser
# tests themselves: they bring up their own lab (as `make test` does, never touching yours), run
# a bench and a sweep for the reports, scale, kill and roll out for the live page, check each
# page, and here write the pictures to docs/screenshots/.
# Needs Docker and Chromium (apt-get install chromium).
SCREENSHOTS_DIR ?= docs/screenshots
# Seconds per bench run: enough for the report's charts to show a run over time.
REPORT_DURATION ?= 10

.PHONY: screenshots
screenshots: node_modules ## retake the README's screenshots of the pages and of the reports (docs/screenshots/)
	SCREENSHOTS_DIR=$(abspath $(SCREENSHOTS_DIR)) REPORT_DURATION=$(REPORT_DURATION) npx vitest run --project e2e \
	  test/e2e/browser.test.ts test/e2e/lab-page.test.ts test/e2e/report-page.test.ts
	@ls $(SCREENSHOTS_DIR)/*.png
