// The instant lab's fitted line: its top trace, step, label, title, point count, and its and the lab's box.
() => { const gd = document.querySelector('.dl-line-top'), s = document.querySelector('.descent-lab').__lab, t = gd.data[gd.data.length - 1];
        const box = gd.getBoundingClientRect(), root = document.querySelector('.descent-lab').getBoundingClientRect();
        const under = document.querySelector('.dl-line');
        return {name: t.name, y: t.y.slice(), title: under.layout.title.text, points: under.data[0].x.length,
                 shown: t.meta, step: s.step, label: s.lineStack.getAttribute('aria-label'), left: box.left, right: box.right,
                 rootLeft: root.left, rootRight: root.right, width: document.documentElement.clientWidth}; }
