// Records every script state of the app in window.__states (a server round trip shows as "running").
() => {
        const app = document.querySelector('[data-testid="stApp"]');
        window.__states = [];
        new MutationObserver(() => window.__states.push(app.getAttribute('data-test-script-state')))
            .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
    }
