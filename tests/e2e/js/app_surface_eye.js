// The 3D surface's camera eye {x, y, z}.
() => document.querySelector('.st-key-surface .js-plotly-plot')._fullLayout.scene.camera.eye
