"""Names, areas and help texts of the `liftrisk` commands, so that `liftrisk --help` lists them
without importing every area (`liftrisk.cli.main.listing_app`).

Generated from the real commands; tests/cli/test_lazy_cli.py fails (and prints the new
content) when a command or its help text changes: paste it here.
"""

#: command name -> (area module in liftrisk.cli, keyword arguments of ``app.command``)
COMMANDS: dict[str, tuple[str, dict]] = {'info': ('files',
          {'help': 'Show what a file contains: points, rate, duration, units, frame, force plates, missing '
                   'data.'}),
 'angles': ('files',
            {'help': 'Joint angles (degrees) from a motion file, written as CSV indexed by time_s.'}),
 'loads': ('kinetics',
           {'help': 'L5/S1 loads (top-down Newton-Euler), spine compression/shear and peaks; bottom-up with '
                    'force plates.\n'
                    '\n'
                    "Force plates: --grf (.mot or .c3d), or --plates/--plates-spec (CSV), or the C3D's own "
                    'plates.\n'
                    'A lower-body-only file gives the bottom-up loads (L5/S1 from the plates); an '
                    'upper-body-only\n'
                    'file the top-down ones; what is missing is printed as a note.'}),
 'posture': ('risk', {'help': 'REBA, RULA and fuzzy REBA per frame to CSV, and a summary of the task.'}),
 'niosh': ('risk',
           {'help': 'Detect lifts and print NIOSH RWL/LI (origin and destination) and the ACGIH zone of '
                    'each.'}),
 'imu': ('imu',
         {'help': 'IMU lift-risk classifier (deep CNN of Snyder et al. 2021 and its baselines).',
          'group': True}),
 'predict-max-weight': ('predict',
                        {'help': 'Predict the maximum box weight a worker can lift and the lifting motion '
                                 '(Xiang et al.).'}),
 'assess': ('assess',
            {'help': 'Assess lifting risk from video or motion capture and write an HTML report.\n'
                     '\n'
                     "Motion-capture files may come with force plates: the C3D's own, or a CSV table with\n"
                     '--plates/--plates-spec (plates under the feet and/or under the lifted object), and with\n'
                     'pressure insoles (--insoles/--insole-spec), which measure the load in the hands.\n'
                     "Settings come from --settings FILE (its 'assessment' table and the entry of the first\n"
                     "input's file name) and the options below, which win."}),
 'demo': ('assess',
          {'help': 'Run the full assessment on bundled demo data (offline): three synthetic 10 kg lifts, '
                   'shin to waist\n'
                   'height, by an 80 kg, 1.78 m man (motion file), and the bundled Sports2D walking clip '
                   '(video).'}),
 'serve': ('web',
           {'help': 'Start the liftrisk web app (upload, progress, reports, browse, compare).\n'
                    '\n'
                    '--settings FILE (or LIFTRISK_SETTINGS) gives the assessment settings of every upload; '
                    'the\n'
                    "upload form's NIOSH task fields win."}),
 'db': ('web',
        {'help': 'The assessment database (SQLite by default; LIFTRISK_DATABASE_URL for any other).',
         'group': True}),
 'batch': ('batch',
           {'help': 'Assess many recordings; run it again to resume (finished items are skipped).\n'
                    '\n'
                    "Each recording's settings: --settings FILE (its 'assessment' table, then the entry of "
                    'the\n'
                    "recording's file name), the options below, then the manifest's columns, which win."}),
 'job': ('job',
         {'help': 'Assess a whole job: NIOSH CLI/VLI, LiFFT, Shoulder Tool, Liberty Mutual and joint % '
                  'capable.'}),
 'compare': ('compare',
             {'help': 'Compare two L5/S1 (or any joint) load series: per-plane RMSE and r over normalised '
                      'lift\n'
                      'cycles, peak RMSE and r, ICC(2,1) of the peaks, mean +- SD of the total error.'}),
 'opensim': ('opensim',
             {'help': "Scale and fit liftrisk's body model, then write model.osim (OpenSim 4), ik.mot (the\n"
                      'fitted coordinates; rotations in degrees), markers.trc (the measured markers, Y-up, '
                      'mm) and,\n'
                      "with force data, external_loads.mot/.xml (plates on the feet, an object plate's load "
                      'at the\n'
                      "hands); --run-id runs OpenSim's ID, --run-opensim OpenSim's scaling, IK and ID."})}

