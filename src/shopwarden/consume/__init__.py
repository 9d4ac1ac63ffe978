"""`shopwarden consume` and `shopwarden relay`: events in from NATS JetStream, decisions out (API.md
"Events in and decisions out"). The edge, like `api/`: it validates with the routes' own schemas and
calls the same service functions."""
