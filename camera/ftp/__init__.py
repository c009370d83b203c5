"""The camera's way in: an FTP/FTPS server (pyftpdlib) that only adapts FTP to camera.services.

- authorizer.py: logins checked against the database (camera.services.camera_login);
- filesystem.py: a virtual folder per account (its event's photos); no name ever maps to a real path;
- spool.py: where an upload is written while it arrives, and interrupted ones kept for REST;
- handler.py: a finished STOR goes to camera.services.camera_photo_receive, its answer becomes the reply;
- server.py: builds and runs the server (python manage.py ftp_server).
"""
